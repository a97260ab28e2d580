import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { defaultPageSize } from '../../src/graphql/lib/connection.ts';
import { operationCost, typicalAuthorsPerPaper } from '../../src/graphql/lib/cost.ts';
import { schema } from '../../src/graphql/schema.ts';

const cost = (query: string, variables: Record<string, unknown> = {}) => operationCost(schema, parse(query), undefined, variables);

describe('operation cost', () => {
  it('is 1 a field, plus its children once for a single object', () => {
    expect(cost('{ stats { papers authors } }')).toBe(1 + 2);
  });

  it("multiplies a list's children by first or last, or by the default page size", () => {
    expect(cost('{ papers(first: 7) { edges { node { title } } } }')).toBe(1 + 7 * (1 + (1 + 1)));
    expect(cost('{ papers(last: 3) { totalCount } }')).toBe(1 + 3 * 1);
    expect(cost('{ papers { totalCount } }')).toBe(1 + defaultPageSize * 1);
  });

  it('multiplies nested lists, Paper.authors counted as a typical list', () => {
    const inner = 1 + 4 * (1 + (1 + 1)); // papers(first: 4) { edges { node { title } } }
    const authors = 1 + typicalAuthorsPerPaper * inner;
    expect(cost('{ papers(first: 2) { edges { node { authors { papers(first: 4) { edges { node { title } } } } } } } }')).toBe(1 + 2 * (1 + (1 + authors)));
  });

  it('counts a neighbourhood by limit × depth, its defaults included, inline or as variables', () => {
    const neighbourhood = (size: number) => 1 + 1 + size * (1 + 1); // paper { neighborhood { nodes { id } } }
    expect(cost('{ paper(arxivId: "x") { neighborhood { nodes { id } } } }')).toBe(neighbourhood(100));
    expect(cost('{ paper(arxivId: "x") { neighborhood(depth: 3, limit: 500) { nodes { id } } } }')).toBe(neighbourhood(1_500));
    const byVariables = 'query ($d: Int, $l: Int) { paper(arxivId: "x") { neighborhood(depth: $d, limit: $l) { nodes { id } } } }';
    expect(cost(byVariables, { d: 2, l: 50 })).toBe(neighbourhood(100));
    expect(cost(byVariables)).toBe(neighbourhood(100));
  });

  it('counts path searches by maxDepth (× first for every shortest path) and nodes(ids) by its ids', () => {
    expect(cost('{ shortestPath(from: "a", to: "b") { length } }')).toBe(1 + 6 * 1);
    expect(cost('{ allShortestPaths(from: "a", to: "b", maxDepth: 4, first: 5) { length } }')).toBe(1 + 20 * 1);
    expect(cost('{ nodes(ids: ["a", "b", "c"]) { id } }')).toBe(1 + 3 * 1);
  });

  it('is Infinity when fragments spread into more fields than are worth counting', () => {
    const levels = Array.from({ length: 14 }, (_, i) => `fragment F${i} on Stats { ...F${i + 1} a${i}: papers ...F${i + 1} }`).join('\n');
    const bomb = `{ stats { ...F0 } }\n${levels}\nfragment F14 on Stats { papers }`;
    expect(cost(bomb)).toBe(Number.POSITIVE_INFINITY);
  });

  it('throws when a variable does not fit its type', () => {
    expect(() => cost('query ($n: Int) { papers(first: $n) { totalCount } }', { n: 'abc' })).toThrow(/Int cannot represent/);
  });
});
