import { parse } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import { Cypher } from '../../src/db/run.ts';
import { hasStringLiteral } from '../../src/graphql/compiled-execution.ts';
import { createPapergraphYoga } from '../../src/yoga.ts';
import { graphql } from '../helpers/graphql.ts';
import { seededYoga } from '../helpers/seeded-yoga.ts';

const server = seededYoga();

/** graphql-jit (0.8.9) turns a string of this shape, written into its generated code, into `new Date(…)` unescaped. */
const jitDateMarker = '__MAGIC_DATE__33a9e76d_02e0_4128_8e92_3530ad3da74d';

describe('compiled execution (graphql-jit)', () => {
  it('never compiles a string literal from a client into code: the marker stays text', async () => {
    const scope = globalThis as { papergraphInjected?: number };
    delete scope.papergraphInjected;
    const payload = `${jitDateMarker}0,globalThis.papergraphInjected=1`;
    for (const query of [
      `{ papers(filter: { titleContains: "${payload}" }, first: 1) { edges { node { title } } } }`,
      `query ($f: PaperFilter = { titleContains: "${payload}" }) { papers(filter: $f, first: 1) { edges { node { title } } } }`,
    ]) {
      const response = await graphql(server.yoga, query);
      expect(scope.papergraphInjected).toBeUndefined();
      expect(response.errors).toBeUndefined();
      expect(response.data?.papers.edges).toEqual([]);
    }
  });

  it('gives a DateTime variable default to resolvers as an instant, as a variable value', async () => {
    const query = 'query ($f: PaperFilter = { publishedAfter: "2024-12-01" }) { papers(filter: $f, first: 50) { edges { node { arxivId } } } }';
    const withDefault = await graphql(server.yoga, query);
    expect(withDefault.errors).toBeUndefined();
    const withVariable = await graphql(server.yoga, query, { f: { publishedAfter: '2024-12-01' } });
    expect(withDefault.data).toEqual(withVariable.data);
    expect(withDefault.data?.papers.edges.length).toBeGreaterThan(0);
  });

  it('compiles documents with variables only, and gives the same answers as graphql-js', async () => {
    const compiled =
      'query ($id: String!, $n: Int!) { paper(arxivId: $id) { title authors { name } related(first: $n) { totalCount edges { cursor score node { title publishedAt } } } } }';
    const interpreted =
      '{ paper(arxivId: "2412.03275") { title authors { name } related(first: 3) { totalCount edges { cursor score node { title publishedAt } } } } }';
    expect(hasStringLiteral(parse(compiled))).toBe(false);
    expect(hasStringLiteral(parse(interpreted))).toBe(true);
    const fromJit = await graphql(server.yoga, compiled, { id: '2412.03275', n: 3 });
    const fromGraphqlJs = await graphql(server.yoga, interpreted);
    expect(fromJit.errors).toBeUndefined();
    expect(fromJit.data?.paper.related.edges).toHaveLength(3);
    expect(fromJit.data).toEqual(fromGraphqlJs.data);

    // Which executor answered: this fails when the compiled path is switched off or never taken.
    const debug = createPapergraphYoga({ database: server.database, debugExtensions: true });
    expect((await graphql(debug, compiled, { id: '2412.03275', n: 3 })).extensions?.executor).toBe('graphql-jit');
    expect((await graphql(debug, interpreted)).extensions?.executor).toBe('graphql-js');
  });

  it("refuses a bad variable in the scalar's own words, as graphql-js does", async () => {
    const query = 'query ($f: PaperFilter!) { papers(filter: $f, first: 1) { edges { node { title } } } }';
    const response = await graphql(server.yoga, query, { f: { publishedAfter: 'yesterday' } });
    expect(response.data).toBeUndefined();
    expect(response.errors?.[0]?.message).toMatch(/"yesterday" is not an ISO 8601 date-time/);
  });

  it('answers an operation name the document does not define with an error, and the named one as usual', async () => {
    const ask = async (operationName: string) => {
      const response = await server.yoga.fetch('http://papergraph.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query A { stats { papers } } query B2 { stats { authors } }', operationName }),
      });
      return (await response.json()) as { data?: unknown; errors?: { message: string }[] };
    };
    expect((await ask('B')).errors?.[0]?.message).toMatch(/operation/i);
    expect(await ask('A')).toEqual({ data: { stats: { papers: 46 } } });
    expect(await ask('B2')).toEqual({ data: { stats: { authors: 22 } } });
  });

  it('masks a value that fails to serialize on both executors, and logs it once, with its errorId, under the request id', async () => {
    const cypher = new Cypher(server.database);
    await cypher.write("CREATE (:Paper { uid: 'p-corrupt', arxivId: '9999.00001', title: 'Corrupt', publishedAt: 'not a date' })");
    const lines: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      for (const [query, variables] of [
        ['query ($id: String!) { paper(arxivId: $id) { title publishedAt } }', { id: '9999.00001' }],
        ['{ paper(arxivId: "9999.00001") { title publishedAt } }', {}],
      ] as const) {
        lines.length = 0;
        const response = await server.yoga.fetch('http://papergraph.test/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-request-id': 'corrupt-1' },
          body: JSON.stringify({ query, variables }),
        });
        const body = (await response.json()) as {
          data?: { paper: unknown };
          errors?: { message: string; path?: unknown[]; extensions?: { code?: string; errorId?: string } }[];
        };
        expect(body.errors).toHaveLength(1);
        const [error] = body.errors!;
        expect(error!.message).toBe('Unexpected error.');
        expect(error!.path).toEqual(['paper', 'publishedAt']);
        expect(error!.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
        const errorId = error!.extensions?.errorId;
        expect(errorId).toMatch(/^[0-9a-f-]{36}$/);
        expect(JSON.stringify(body)).not.toMatch(/Invalid time value|not a date/);
        const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(logged).toEqual([
          expect.objectContaining({
            level: 'error',
            msg: 'request failed',
            requestId: 'corrupt-1',
            errorCount: 1,
            codes: { INTERNAL_SERVER_ERROR: 1 },
            unexpected: [{ errorId, path: ['paper', 'publishedAt'], error: expect.objectContaining({ stack: expect.any(String) }) }],
          }),
        ]);
      }
    } finally {
      spy.mockRestore();
      await cypher.write("MATCH (p:Paper { uid: 'p-corrupt' }) DETACH DELETE p");
    }
  });
});
