import { expect } from 'vitest';
import type { PapergraphYoga } from '../../src/yoga.ts';

export interface GraphQLResponse<TData = Record<string, any>> {
  status: number;
  data?: TData | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

/** Sends one operation through the server's own request handler, as an HTTP client would. */
export async function graphql<TData = Record<string, any>>(
  yoga: PapergraphYoga,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<TData>> {
  const response = await yoga.fetch('http://papergraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status'>;
  return { status: response.status, ...body };
}

/** Sends one operation that must succeed (HTTP 200, no errors) and gives its data and extensions. */
export async function expectOk<TData = Record<string, any>>(
  yoga: PapergraphYoga,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data: TData; extensions: { cypherRoundTrips: number } & Record<string, unknown> }> {
  const response = await graphql<TData>(yoga, query, variables);
  expect(response.errors).toBeUndefined();
  expect(response.status).toBe(200);
  return response as unknown as { data: TData; extensions: { cypherRoundTrips: number } & Record<string, unknown> };
}
