/**
 * A GraphQL selection compiled into one query: the properties each node's fields read, and the
 * children folded into it as subqueries, at any depth. src/graphql/lib/compile.ts plans it from the
 * fields' declarations; this file assembles only the fragments those declarations name (in this
 * directory). Variables are generated (n1, r2, s3 …), children are keyed by position (c0, c1 …) and
 * every value travels as a parameter, so nothing a client writes (aliases, arguments) reaches the text.
 */
import type { Cypher } from '../run.ts';
import { authorProjection, authorsNamedSubquery, type AuthorNameLookup, type AuthorRecord, type NamedAuthorRecord } from './authors.ts';
import {
  pageOfPapers,
  paperLookupProperties,
  paperProjection,
  type PaperFilter,
  type PaperLookupProperty,
  type PaperOrder,
  type PaperProperty,
  type PaperRecord,
} from './papers.ts';
import type { KeysetRow, PageQuery } from './keyset.ts';
import {
  contributorPagesOfEntities,
  paperPagesOfEntities,
  type ContributorOrder,
  type ContributorPage,
  type EntityKind,
  type ParentPaperPage,
} from './entities.ts';

/** Labels a selection can start from or reach. Labels are no parameters: they come from this list. */
export const selectionLabels = ['Paper', 'Author'] as const;
export type SelectionLabel = (typeof selectionLabels)[number];

export interface NodeSelection {
  label: SelectionLabel;
  /** Properties the node's fields read (an Author's are always its uid and name, whatever this says). */
  properties: readonly PaperProperty[];
  children: readonly ChildSelection[];
}

export interface ChildSelection {
  /** Its key in the node's map: c0, c1 … by position. */
  key: string;
  /** A fragment of any input: the planner pairs each with its own. */
  fragment: Fragment<never>;
  input: unknown;
}

/**
 * A relation or computed value of a bound node, as fixed Cypher text. An expression (a COLLECT or COUNT
 * subquery) can sit at any depth; a block (CALL subqueries binding `out`) only where its parent is
 * bound in a row of its own: a lookup's root, or the parents of a batched load.
 */
export interface Fragment<Input> {
  expression?: (parent: string, input: Input, scope: Scope) => string;
  block?: (parent: string, input: Input, scope: Scope, out: string) => string;
}

export interface Scope {
  /** A variable name used nowhere else in the query. */
  variable(): string;
  /** A parameter name prefix used nowhere else, for fragments with several parameters. */
  prefix(): string;
  /** `$name` of a new parameter holding `value`. */
  param(value: unknown): string;
  /** Parameters named from prefix(). */
  readonly params: Record<string, unknown>;
  /** The map of a node bound to `variable`: its properties and its children's expressions. */
  project(variable: string, node: NodeSelection): string;
}

class QueryScope implements Scope {
  readonly params: Record<string, unknown> = {};
  #count = 0;

  variable(): string {
    return `n${++this.#count}`;
  }

  prefix(): string {
    return `v${++this.#count}`;
  }

  param(value: unknown): string {
    const name = this.prefix();
    this.params[name] = value;
    return `$${name}`;
  }

  project(variable: string, node: NodeSelection, blocksBound = false): string {
    const entries = node.children.map((child) => {
      if (child.fragment.expression) return `${child.key}: ${child.fragment.expression(variable, child.input as never, this)}`;
      if (!blocksBound) throw new Error('a block fragment needs its parent bound in a row of its own');
      return `${child.key}: ${child.key}`;
    });
    return this.#projection(variable, node, entries);
  }

  /** The CALL blocks of a node bound in a row of its own, each binding its child's key. */
  blocks(variable: string, node: NodeSelection): string {
    return node.children
      .filter((child) => !child.fragment.expression)
      .map((child) => child.fragment.block!(variable, child.input as never, this, child.key))
      .join('\n');
  }

  #projection(variable: string, node: NodeSelection, entries: string[]): string {
    if (!selectionLabels.includes(node.label)) throw new Error('unknown label');
    return node.label === 'Paper' ? paperProjection(variable, node.properties, entries) : authorProjection(variable, entries);
  }
}

/** A paper by uid, or by one of paperLookupProperties. */
export type PaperLookup = { uid: string } | { property: PaperLookupProperty; value: string };

/** A paper looked up, with what its selection reads; null when there is none. A DOI may name several: the lowest uid is taken. */
export async function selectPaper(cypher: Cypher, lookup: PaperLookup, node: NodeSelection): Promise<PaperRecord | null> {
  if ('property' in lookup && !paperLookupProperties.includes(lookup.property)) throw new Error('unknown lookup property');
  const match = 'uid' in lookup ? 'MATCH (n0:Paper {uid: $lookup.uid})' : `MATCH (n0:Paper {${lookup.property}: $lookup.value})`;
  const scope = new QueryScope();
  const projection = `${scope.blocks('n0', node)}
     RETURN ${scope.project('n0', node, true)} AS node`;
  const [row] = await cypher.read<{ node: PaperRecord }>(
    `${match}
     WITH n0 ORDER BY n0.uid LIMIT 1
     ${projection}`,
    { lookup, ...scope.params },
  );
  return row?.node ?? null;
}

/** An author by uid, by OpenAlex id, or by name (which may name several). */
export type AuthorLookup = { uid: string } | { openalexId: string } | { name: AuthorNameLookup };

/**
 * The author looked up, with what its selection reads. A name that several authors bear gives no
 * author, only the candidates (each with its OpenAlex id), for the caller to report.
 */
export async function selectAuthor(
  cypher: Cypher,
  lookup: AuthorLookup,
  node: NodeSelection,
): Promise<AuthorRecord | { ambiguous: NamedAuthorRecord[] } | null> {
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
  const scope = new QueryScope();
  const candidates = 'name' in lookup ? ', [c IN found | c { .uid, .name, .openalexId }] AS candidates' : '';
  const [row] = await cypher.read<{ author: AuthorRecord | null; candidates?: NamedAuthorRecord[] }>(
    `${match}
     ${scope.blocks('a', node)}
     RETURN CASE WHEN a IS NOT NULL THEN ${scope.project('a', node, true)} END AS author${candidates}`,
    { lookup, ...scope.params },
  );
  if (!row) return null;
  if (row.author) return row.author;
  return row.candidates && row.candidates.length > 1 ? { ambiguous: row.candidates } : null;
}

/** A keyset page of the papers that pass the filter (see pageOfPapers), each with what its selection reads. */
export function selectPageOfPapers(cypher: Cypher, filter: PaperFilter, page: PageQuery<PaperOrder>, node: NodeSelection): Promise<KeysetRow<PaperRecord>[]> {
  const scope = new QueryScope();
  return pageOfPapers(cypher, filter, page, scope.project('p', node), scope.params);
}

/** For each venue, institution or topic, a keyset page of its papers that pass the filter (see paperPagesOfEntities), each with what its selection reads. */
export function selectPaperPagesOfEntities(
  cypher: Cypher,
  kind: EntityKind,
  ids: readonly string[],
  filter: PaperFilter,
  page: PageQuery<PaperOrder>,
  withTotal: boolean,
  node: NodeSelection,
): Promise<ParentPaperPage[]> {
  const scope = new QueryScope();
  return paperPagesOfEntities(cypher, kind, ids, filter, page, withTotal, scope.project('p', node), scope.params);
}

/** For each venue, institution or topic, a keyset page of its papers' authors (see contributorPagesOfEntities), each with what its selection reads. */
export function selectContributorPagesOfEntities(
  cypher: Cypher,
  kind: EntityKind,
  ids: readonly string[],
  years: { from: number | null; to: number | null },
  page: PageQuery<ContributorOrder>,
  node: NodeSelection,
): Promise<ContributorPage[]> {
  const scope = new QueryScope();
  return contributorPagesOfEntities(cypher, kind, ids, years, page, scope.project('a', node), scope.params);
}

/**
 * One child of many parents of one label, in one round-trip: what the child's fragment gives for
 * each parent found, by parent uid (unknown parents are absent).
 */
export async function selectChildOfParents(
  cypher: Cypher,
  label: SelectionLabel,
  parentUids: readonly string[],
  child: ChildSelection,
): Promise<Map<string, unknown>> {
  if (!selectionLabels.includes(label)) throw new Error('unknown label');
  const scope = new QueryScope();
  const value = child.fragment.expression ? `${child.fragment.expression('n0', child.input as never, scope)} AS value` : `${child.key} AS value`;
  const blocks = child.fragment.expression ? '' : child.fragment.block!('n0', child.input as never, scope, child.key);
  const rows = await cypher.read<{ parentUid: string; value: unknown }>(
    `UNWIND $parentUids AS parentUid
     MATCH (n0:${label} {uid: parentUid})
     ${blocks}
     RETURN parentUid, ${value}`,
    { parentUids, ...scope.params },
  );
  return new Map(rows.map((row) => [row.parentUid, row.value]));
}
