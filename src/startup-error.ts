import { ConfigError } from './config.ts';
import { DatabaseUnavailableError } from './db/driver.ts';
import { EmbeddedNeo4jError } from './neo4j/embedded.ts';

/** Failures a user can fix (configuration, a taken port, no Java, Neo4j unreachable) are told in one line, without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

export function startupFailureMessage(error: unknown): string {
  const expected =
    error instanceof StartupError || error instanceof ConfigError || error instanceof EmbeddedNeo4jError || error instanceof DatabaseUnavailableError;
  if (expected) return (error as Error).message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
