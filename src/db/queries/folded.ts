/**
 * One paper or author together with the children a request asked for (its authors, a page of its
 * related papers, its neighbourhood, its co-authors), in one round-trip instead of one per field.
 * The GraphQL layer decides what to fold from the operation (src/graphql/lib/lookahead.ts); the
 * fragments are the same ones the batched loaders use alone, so both ways give the same answer.
 */
import type { Cypher } from '../run.ts';
import { authorProjection, authorsNamedSubquery, authorsOfPaperExpression, coauthorsExpression, coauthorsParams, tagWithPaper, type AuthorNameLookup, type AuthorRecord, type CoauthorRecord, type NamedAuthorRecord, type PaperAuthorRecord } from './authors.ts';
import { neighborhoodParams, neighborhoodSubquery, subgraphOf, type NeighborhoodColumns, type NeighborhoodOptions, type Subgraph } from './graph.ts';
import { citationPageExpressions } from './citations.ts';
import type { PageQuery } from './keyset.ts';
import { pageOfPapers, paperLookupProperties, paperProjection, relatedPageExpressions, type PaperLookupProperty, type PaperFilter, type PaperKind, type RelatedSource, type PaperOrder, type PaperProperty, type ParentPage, type PaperRecord } from './papers.ts';

/** A paper by uid, or by one of paperLookupProperties. */
export type PaperLookup = { uid: string } | { property: PaperLookupProperty; value: string };

export interface PaperChildren {
  /** Of the paper itself (see paperProjection). */
  properties?: readonly PaperProperty[];
  authors?: boolean;
  related?: { minScore: number | null; source?: RelatedSource | null; page: PageQuery; properties?: readonly PaperProperty[] };
  neighborhood?: NeighborhoodOptions;
  references?: { page: PageQuery<PaperOrder>; properties?: readonly PaperProperty[]; kinds?: readonly PaperKind[] | null };
}

export interface PaperWithChildren {
  paper: PaperRecord;
  authors?: PaperAuthorRecord[];
  related?: Omit<ParentPage<PaperRecord>, 'parentUid'>;
  neighborhood?: Subgraph;
  references?: Omit<ParentPage<PaperRecord>, 'parentUid'>;
}

export async function paperWithChildren(cypher: Cypher, lookup: PaperLookup, children: PaperChildren): Promise<PaperWithChildren | null> {
  if ('property' in lookup && !paperLookupProperties.includes(lookup.property)) throw new Error('unknown lookup property');
  // The paper is `root`, not `p`: the citation page's ordering expressions use `p` for the cited papers.
  const match = 'uid' in lookup ? 'MATCH (root:Paper {uid: $lookup.uid})' : `MATCH (root:Paper {${lookup.property}: $lookup.value})`;
  const columns = [`${paperProjection('root', children.properties)} AS paper`];
  let params: Record<string, unknown> = { lookup };
  let calls = '';
  if (children.authors) columns.push(`${authorsOfPaperExpression('root')} AS authors`);
  if (children.related) {
    const related = relatedPageExpressions('root', 'outgoing', children.related.minScore, children.related.page, children.related.properties, children.related.source ?? null);
    columns.push(`{ rows: ${related.rows}, total: ${related.total} } AS related`);
    params = { ...params, ...related.params };
  }
  if (children.references) {
    const references = citationPageExpressions('root', 'references', children.references.page, children.references.properties, children.references.kinds ?? null);
    columns.push(`{ rows: ${references.rows}, total: ${references.total} } AS references`);
    params = { ...params, ...references.params };
  }
  if (children.neighborhood) {
    calls = neighborhoodSubquery('root', children.neighborhood.nodes, children.neighborhood.via);
    columns.push('{ nodes: nodes, edges: edges, level1Size: level1Size, level2Size: level2Size } AS neighborhood');
    params = { ...params, ...neighborhoodParams(children.neighborhood) };
  }
  // A DOI may name several papers: the lowest uid is taken, as papersByProperty does.
  const [row] = await cypher.read<Omit<PaperWithChildren, 'neighborhood'> & { neighborhood?: NeighborhoodColumns }>(
    `${match}
     WITH root ORDER BY root.uid LIMIT 1
     ${calls}
     RETURN ${columns.join(',\n            ')}`,
    params,
  );
  if (!row) return null;
  if (row.authors) tagWithPaper(row.paper.uid, row.authors);
  if (!row.neighborhood) return row as PaperWithChildren;
  const { neighborhood, ...rest } = row;
  return { ...rest, neighborhood: subgraphOf(neighborhood) };
}

export interface AuthorChildren {
  /** properties: of the shared papers (see paperProjection). */
  coauthors?: { limit: number; properties?: readonly PaperProperty[] };
}

export interface AuthorWithChildren {
  author: AuthorRecord;
  coauthors?: CoauthorRecord[];
}

/** An author by uid, by OpenAlex id, or by name (which may name several: see authorWithChildren). */
export type AuthorLookup = { uid: string } | { openalexId: string } | { name: AuthorNameLookup };

/**
 * The author looked up, with the children asked for. A name that several authors bear gives no author
 * and no children, only the candidates (each with its OpenAlex id), for the caller to report.
 */
export async function authorWithChildren(
  cypher: Cypher,
  lookup: AuthorLookup,
  children: AuthorChildren,
): Promise<AuthorWithChildren | { ambiguous: NamedAuthorRecord[] } | null> {
  const match =
    'uid' in lookup
      ? 'MATCH (a:Author {uid: $lookup.uid})'
      : 'openalexId' in lookup
        ? 'MATCH (a:Author {openalexId: $lookup.openalexId})'
        : `WITH $lookup.name AS name
     ${authorsNamedSubquery('name')}
     WITH a ORDER BY a.uid
     WITH collect(a) AS found
     WITH found, CASE WHEN size(found) = 1 THEN found[0] END AS a`;
  const columns = [`CASE WHEN a IS NOT NULL THEN ${authorProjection('a')} END AS author`];
  if ('name' in lookup) columns.push('[c IN found | c { .uid, .name, .openalexId }] AS candidates');
  let params: Record<string, unknown> = { lookup };
  if (children.coauthors) {
    columns.push(`${coauthorsExpression('a', children.coauthors.properties)} AS coauthors`);
    params = { ...params, ...coauthorsParams(children.coauthors.limit) };
  }
  const [row] = await cypher.read<{ author: AuthorRecord | null; candidates?: NamedAuthorRecord[]; coauthors?: Omit<CoauthorRecord, 'authorUid'>[] }>(
    `${match}
     RETURN ${columns.join(', ')}`,
    params,
  );
  if (!row) return null;
  const { author, candidates, coauthors } = row;
  if (!author) return candidates && candidates.length > 1 ? { ambiguous: candidates } : null;
  return {
    author,
    ...(coauthors ? { coauthors: coauthors.map((coauthor) => ({ authorUid: author.uid, ...coauthor })) } : {}),
  };
}

/** A page of papers (see pageOfPapers) with each paper's authors. */
export async function pageOfPapersWithAuthors(cypher: Cypher, filter: PaperFilter, page: PageQuery<PaperOrder>, properties?: readonly PaperProperty[]) {
  const rows = await pageOfPapers<{ authors: AuthorRecord[] }>(cypher, filter, page, properties, [`${authorsOfPaperExpression('p')} AS authors`]);
  return rows.map((row) => ({ ...row, authors: tagWithPaper(row.node.uid, row.authors) }));
}
