import { Neo4jGraphQL } from '@neo4j/graphql';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeGlobalId } from '../../src/graphql/lib/global-id.ts';
import { canonicalJson } from './check.ts';
import type { Inputs } from './inputs.ts';
import { libraryForms, libraryOperation, libraryTypeDefs, withoutKeys } from './library.ts';
import { buildOperations, operationNames } from './operations.ts';

const inputs: Inputs = {
  papers: [{ uid: 'p1', title: 'A', titleJa: null }],
  authors: ['a1'],
  pageFilters: [{ minScore: 10, publishedBefore: '2025-06-01T00:00:00.000Z' }],
  wordsEn: ['graph'],
  wordsJa: ['グラフ'],
  pairs: [['p1', 'p2']],
  citing: ['p1'],
};
const operation = (name: string) => buildOperations(inputs).operations.find((op) => op.name === name)!;
const paperId = (uid: string) => encodeGlobalId('Paper', uid);
const authorId = (uid: string) => encodeGlobalId('Author', uid);
const isoDate = '2024-03-05T09:30:00.000Z';
/** Papergraph's canonical answer of an operation, less what the library is not asked for. */
const expected = (name: string, data: unknown) => canonicalJson(withoutKeys(operation(name).server(data), libraryOperation(name)!.omitted));

describe('the Neo4j GraphQL Library side of the API bench', () => {
  it('leaves the keys the library is not asked for out of an answer, at any depth', () => {
    const answer = { id: 'x', publishedAt: 1, related: { edges: [{ node: { publishedAt: 2, title: 't' } }] }, list: [null, 3] };
    expect(withoutKeys(answer, ['publishedAt'])).toEqual({ id: 'x', related: { edges: [{ node: { title: 't' } }] }, list: [null, 3] });
    expect(withoutKeys(answer, [])).toBe(answer);
  });

  it('states every operation of the mix or says why it cannot', () => {
    expect(Object.keys(libraryForms).sort()).toEqual([...operationNames].sort());
    for (const name of operationNames) {
      const form = libraryForms[name]!;
      if ('unsupported' in form) expect(form.unsupported.length).toBeGreaterThan(10);
    }
    expect(['paper', 'papers', 'author-papers', 'related-related', 'citations'].every((name) => libraryOperation(name))).toBe(true);
    expect(libraryOperation('path')).toBeUndefined();
  });

  it("writes documents the library's generated schema accepts", async () => {
    const schema = await new Neo4jGraphQL({ typeDefs: libraryTypeDefs }).getSchema();
    for (const name of operationNames) {
      const library = libraryOperation(name);
      if (library) expect(validate(schema, parse(library.document)).map((error) => `${name}: ${error.message}`)).toEqual([]);
    }
  });

  it("sends papergraph's inputs as the library's variables", () => {
    const paper = operation('paper');
    expect(libraryOperation('paper')!.variables(paper.cases[0]!.variables)).toEqual({ uid: 'p1' });
    expect(libraryOperation('author-papers')!.variables(operation('author-papers').cases[0]!.variables)).toEqual({ uid: 'a1' });
    expect(libraryOperation('papers')!.variables(operation('papers').cases[0]!.variables)).toEqual({ before: '2025-06-01T00:00:00.000Z', minScore: 10 });
  });

  it("maps the library's paper answer to papergraph's canonical answer", () => {
    const server = {
      paper: {
        id: paperId('p1'),
        arxivId: '2403.00001',
        title: 'A',
        titleJa: null,
        publishedAt: isoDate,
        score: 12.5,
        authors: [{ id: authorId('a1'), name: 'Ada' }],
        related: { totalCount: 7, edges: [{ rank: 1, score: 0.9, node: { id: paperId('p2'), title: 'B', publishedAt: null } }] },
      },
    };
    const library = {
      papers: [
        {
          uid: 'p1',
          arxivId: '2403.00001',
          title: 'A',
          titleJa: null,
          score: 12.5,
          authorsConnection: { edges: [{ node: { uid: 'a1', name: 'Ada' } }] },
          relatedConnection: { totalCount: 7, edges: [{ properties: { rank: 1, score: 0.9 }, node: { uid: 'p2', title: 'B' } }] },
        },
      ],
    };
    const answer = libraryOperation('paper')!.answer(library);
    expect(canonicalJson(answer)).toBe(expected('paper', server));
    expect(expected('paper', server)).not.toContain('publishedAt');
    // A paper that is not there is null on both sides.
    expect(libraryOperation('paper')!.answer({ papers: [] })).toBeUndefined();
  });

  it("maps the library's nested answers (papers, an author's papers, references, two related hops)", () => {
    const authors = { edges: [{ node: { uid: 'a1', name: 'Ada' } }] };
    expect(
      canonicalJson(
        libraryOperation('papers')!.answer({
          papersConnection: {
            pageInfo: { hasNextPage: true, endCursor: 'x' },
            edges: [{ node: { uid: 'p1', title: 'A', score: 3, authorsConnection: authors } }],
          },
        }),
      ),
    ).toBe(
      expected('papers', {
        papers: {
          pageInfo: { hasNextPage: true, endCursor: 'y' },
          edges: [{ node: { id: paperId('p1'), title: 'A', publishedAt: isoDate, score: 3, authors: [{ id: authorId('a1'), name: 'Ada' }] } }],
        },
      }),
    );

    expect(
      canonicalJson(
        libraryOperation('author-papers')!.answer({
          authors: [
            {
              uid: 'a1',
              name: 'Ada',
              papersConnection: { totalCount: 4, edges: [{ node: { uid: 'p1', title: 'A', authorsConnection: authors } }] },
            },
          ],
        }),
      ),
    ).toBe(
      expected('author-papers', {
        author: {
          id: authorId('a1'),
          name: 'Ada',
          papers: {
            totalCount: 4,
            edges: [{ node: { id: paperId('p1'), title: 'A', publishedAt: isoDate, authors: [{ id: authorId('a1'), name: 'Ada' }] } }],
          },
        },
      }),
    );

    expect(
      canonicalJson(
        libraryOperation('citations')!.answer({
          papers: [{ uid: 'p1', referencesConnection: { totalCount: 2, edges: [{ node: { uid: 'p2', title: 'B' } }] } }],
        }),
      ),
    ).toBe(expected('citations', { paper: { id: paperId('p1'), references: { totalCount: 2, edges: [{ node: { id: paperId('p2'), title: 'B' } }] } } }));

    const hop = (uid: string, title: string, score: number, inner?: object) => ({
      properties: { score },
      node: { uid, title, ...(inner ? { relatedConnection: inner } : {}) },
    });
    const serverHop = (uid: string, title: string, score: number, inner?: object) => ({
      score,
      node: { id: paperId(uid), title, ...(inner ? { related: inner } : {}) },
    });
    expect(
      canonicalJson(
        libraryOperation('related-related')!.answer({
          papers: [{ uid: 'p1', relatedConnection: { edges: [hop('p2', 'B', 0.9, { edges: [hop('p3', 'C', 0.5)] })] } }],
        }),
      ),
    ).toBe(
      expected('related-related', {
        paper: { id: paperId('p1'), related: { edges: [serverHop('p2', 'B', 0.9, { edges: [serverHop('p3', 'C', 0.5)] })] } },
      }),
    );
  });
});
