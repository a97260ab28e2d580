import { initContextCache } from '@pothos/core';
import type { Database } from '../db/driver.ts';
import { Cypher } from '../db/run.ts';

export interface Context {
  /** This request's Cypher runner: counts the round-trips the request costs. */
  readonly cypher: Cypher;
  /** Whether relations fold into their parent's query (src/graphql/lib/compile.ts); off only to compare answers. */
  readonly foldRelations: boolean;
}

export interface ContextOptions {
  queryTimeoutMs?: number;
  foldRelations?: boolean;
}

/**
 * A fresh context for each request. Pothos keeps the request's DataLoaders in the context cache,
 * so every request starts with empty loaders and nothing loaded is shared between requests.
 */
export function createContext(database: Database, options: ContextOptions = {}): Context {
  // Not `{ ...initContextCache(), cypher }`: spreading the cache's symbol key is slower, on every request.
  return Object.assign(initContextCache(), {
    cypher: new Cypher(database, { timeoutMs: options.queryTimeoutMs }),
    foldRelations: options.foldRelations ?? true,
  });
}
