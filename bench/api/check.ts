/**
 * Before an operation is timed: a few of its inputs sent once to the server and once to the floor,
 * their answers compared (so the floor answers the very same question), and the server's Cypher
 * round-trips per request read from `extensions.cypherRoundTrips`.
 */
import type { Cypher } from '../../src/db/run.ts';
import { withoutKeys, type LibraryOperation } from './library.ts';
import type { Operation } from './operations.ts';

const CHECKED_CASES = 4;

export interface Check {
  /** Inputs compared, and how many answers matched. */
  compared: number;
  matched: number;
  /** Round-trips of each sampled request (they can differ between inputs). */
  roundTrips: number[];
  mismatch: { variables: Record<string, unknown>; server: string; floor: string } | undefined;
}

/** JSON with object keys sorted, so that key order does not matter. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function requestBody(operation: Operation, variables: Record<string, unknown>): string {
  return JSON.stringify({ query: operation.document, variables });
}

/** The library's request body for papergraph's variables of the same input. */
export function libraryRequestBody(library: LibraryOperation, variables: Record<string, unknown>): string {
  return JSON.stringify({ query: library.document, variables: library.variables(variables) });
}

async function post(name: string, side: string, url: string, body: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await response.json()) as { data?: unknown; errors?: unknown[]; extensions?: { cypherRoundTrips?: number } };
  if (response.status !== 200 || answer.errors) {
    throw new Error(`${name}: the ${side} answered ${response.status} ${JSON.stringify(answer.errors ?? answer).slice(0, 500)}`);
  }
  return answer;
}

export async function checkOperation(operation: Operation, url: string, floorCypher: Cypher): Promise<Check> {
  const check: Check = { compared: 0, matched: 0, roundTrips: [], mismatch: undefined };
  for (const item of operation.cases.slice(0, CHECKED_CASES)) {
    const body = await post(operation.name, 'server', url, requestBody(operation, item.variables));
    check.roundTrips.push(body.extensions?.cypherRoundTrips ?? NaN);
    const rows = await floorCypher.read(item.floor.query, item.floor.params);
    const server = canonicalJson(operation.server(body.data));
    const floor = canonicalJson(operation.floor(rows));
    check.compared += 1;
    if (server === floor) check.matched += 1;
    else check.mismatch ??= { variables: item.variables, server: server.slice(0, 2000), floor: floor.slice(0, 2000) };
  }
  return check;
}

/**
 * The library's answers against the floor's (less what the library is not asked for), on every input:
 * the two APIs differ in how they order and filter (nulls, ties), so each input is checked, not a sample. `roundTrips` stays empty: the library
 * does not report them.
 */
export async function checkLibrary(operation: Operation, library: LibraryOperation, url: string, floorCypher: Cypher): Promise<Check> {
  const check: Check = { compared: 0, matched: 0, roundTrips: [], mismatch: undefined };
  for (const item of operation.cases) {
    const body = await post(operation.name, 'library', url, libraryRequestBody(library, item.variables));
    const rows = await floorCypher.read(item.floor.query, item.floor.params);
    const answer = canonicalJson(library.answer(body.data));
    const floor = canonicalJson(withoutKeys(operation.floor(rows), library.omitted));
    check.compared += 1;
    if (answer === floor) check.matched += 1;
    else check.mismatch ??= { variables: item.variables, server: answer.slice(0, 2000), floor: floor.slice(0, 2000) };
  }
  return check;
}
