import { int } from 'neo4j-driver';
import type { WorkRow } from '../../../seed/openalex/work.ts';
import type { Cypher } from '../run.ts';
import { keysetFragments, keysetParams, type KeysetRow, type PageQuery } from './keyset.ts';
import { citationCountOf, paperKindIn, paperOrderExpressions, paperProjection, paperProperties, type PaperKind, type PaperOrder, type PaperProperty, type PaperRecord } from './papers.ts';

// ---------------------------------------------------------------------------------------------
// Writing OpenAlex works (seed/openalex/load.ts)

/**
 * The graph for one work, run once per work inside the batch's CALL, so each work sees what the
 * works before it in the same batch wrote (a CALL subquery observes its earlier executions).
 *
 * Identity: a work is its OpenAlex id. A work already imported keeps its node. A new work, or one
 * known so far only as a stub (somebody cites it), joins a paper that came from a summary page (or a
 * related entry) and has no OpenAlex id yet: by arXiv id, then DOI, then title key, the last only
 * while no other work carries that title key. Otherwise it gets a node of its own, keyed by its
 * OpenAlex id with a uid derived from it. Two works are never merged.
 *
 * A summary page wins over the work for what both describe (title, abstract, date, arXiv id,
 * authors): the work fills those in only while the paper has no page, and seed.ts replaces them when
 * a page arrives, so the result does not depend on which came first.
 */
const writeOneWork = `
    CALL (w, known) {
      WITH w, known WHERE known IS NULL OR known.openalexHash IS NULL
      CALL (w) {
        MATCH (p:Paper {arxivId: w.arxivId}) WHERE p.openalexId IS NULL
        RETURN p, 1 AS priority
        UNION
        MATCH (p:Paper {doi: w.doi}) WHERE p.openalexId IS NULL
        RETURN p, 2 AS priority
        UNION
        MATCH (p:Paper {titleKey: w.titleKey})
        WHERE p.openalexId IS NULL
          AND (p.arxivId IS NULL OR w.arxivId IS NULL OR p.arxivId = w.arxivId)
          AND NOT EXISTS { MATCH (other:Paper {workTitleKey: w.titleKey}) WHERE other.openalexId <> w.openalexId }
        RETURN p, 3 AS priority
      }
      WITH p, priority ORDER BY priority, p.uid
      RETURN head(collect(p)) AS joined
    }
    // The stub of a work that joins a paper: whoever cited or listed the stub now points at the paper.
    CALL (known, joined) {
      WITH known, joined WHERE known IS NOT NULL AND joined IS NOT NULL
      CALL (known, joined) {
        MATCH (citing:Paper)-[:CITES]->(known) WHERE citing <> joined
        MERGE (citing)-[:CITES]->(joined)
      }
      CALL (known, joined) {
        MATCH (linking:Paper)-[link:RELATED_TO]->(known) WHERE linking <> joined
        CREATE (linking)-[moved:RELATED_TO]->(joined)
        SET moved = properties(link)
      }
      DETACH DELETE known
    }
    CALL (w, joined) {
      WITH w, joined WHERE joined IS NOT NULL
      SET joined.openalexId = w.openalexId
      RETURN joined AS p
      UNION
      WITH w, joined WHERE joined IS NULL
      MERGE (p:Paper {openalexId: w.openalexId})
        ON CREATE SET p.uid = w.uid
      RETURN p
    }
    // A paper without a page is known by its OpenAlex id, and its uid derives from it (a related
    // entry's stub that the work joins too); a paper with a page keeps the page's uid.
    SET p.uid = CASE WHEN p.sourceHash IS NULL THEN w.uid ELSE p.uid END,
        p.openalexHash = w.hash,
        p.importRun = $run,
        p.importSource = w.source,
        p.doi = w.doi,
        p.workTitleKey = w.titleKey,
        p.publicationYear = toInteger(w.publicationYear),
        p.workType = w.workType,
        p.venue = w.venue,
        p.openalexCitedByCount = toInteger(w.citedByCount)
    FOREACH (_ IN CASE WHEN p.sourceHash IS NULL THEN [1] ELSE [] END |
      SET p.title = w.title,
          p.abstract = w.abstract,
          p.publishedAt = datetime(w.publishedAt),
          p.arxivId = CASE WHEN w.arxivId IS NULL OR EXISTS { MATCH (o:Paper {arxivId: w.arxivId}) WHERE o <> p } THEN null ELSE w.arxivId END)
    WITH w, p
    // The title key of a paper without a page (a page's paper keeps the page's): taken only while no
    // other paper holds it and no other work has that title. A title two works share belongs to
    // neither, so a page with that title later joins no work by it.
    CALL (w, p) {
      WITH w, p WHERE p.sourceHash IS NULL
      OPTIONAL MATCH (holder:Paper {titleKey: w.titleKey}) WHERE holder <> p
      WITH w, p, holder, EXISTS { MATCH (other:Paper {workTitleKey: w.titleKey}) WHERE other <> p } AS shared
      FOREACH (_ IN CASE WHEN shared AND holder.titleKeyFromWork THEN [1] ELSE [] END |
        REMOVE holder.titleKey, holder.titleKeyFromWork)
      SET p.titleKey = CASE WHEN holder IS NULL AND NOT shared THEN w.titleKey END,
          p.titleKeyFromWork = CASE WHEN holder IS NULL AND NOT shared AND w.titleKey IS NOT NULL THEN true END
    }
    // Authors, identified by OpenAlex id; a paper with a summary page lists the page's authors instead.
    CALL (w, p) {
      WITH w, p WHERE p.sourceHash IS NULL
      CALL (p) {
        OPTIONAL MATCH (p)<-[authored:AUTHORED]-(author:Author)
        WITH collect(author) AS previousAuthors, collect(authored) AS links
        FOREACH (link IN links | DELETE link)
        RETURN previousAuthors
      }
      CALL (w, p) {
        UNWIND w.authors AS entry
        MERGE (author:Author {openalexId: entry.openalexId})
          ON CREATE SET author.uid = entry.uid, author.key = entry.key, author.name = entry.name
        // The smallest spelling any work gives, so the name does not depend on the order of the files
        // (written only when it changes: a prolific author's node is touched by every one of their works).
        FOREACH (_ IN CASE WHEN entry.name < author.name THEN [1] ELSE [] END | SET author.name = entry.name)
        FOREACH (_ IN CASE WHEN author.orcid IS NULL AND entry.orcid IS NOT NULL THEN [1] ELSE [] END | SET author.orcid = entry.orcid)
        CREATE (author)-[:AUTHORED {position: toInteger(entry.position), name: entry.name, role: entry.role, institutions: entry.institutions}]->(p)
      }
      CALL (previousAuthors) {
        UNWIND previousAuthors AS author
        WITH DISTINCT author WHERE NOT EXISTS { (author)--() }
        DELETE author
      }
    }
    // Citations and OpenAlex's related works (which carry no score), each to a stub while the other
    // work is not loaded; the stub is filled in (or joins a page) when it is.
    CALL (w, p) {
      CALL (p) {
        OPTIONAL MATCH (p)-[link:CITES|RELATED_TO]->(target:Paper)
        WHERE link.score IS NULL
        WITH collect(target) AS previousTargets, collect(link) AS links
        FOREACH (link IN links | DELETE link)
        RETURN previousTargets
      }
      CALL (w, p) {
        UNWIND w.references AS ref
        MERGE (cited:Paper {openalexId: ref.openalexId})
          ON CREATE SET cited.uid = ref.uid, cited.title = ref.openalexId
        CREATE (p)-[:CITES]->(cited)
      }
      CALL (w, p) {
        UNWIND w.related AS ref
        MERGE (target:Paper {openalexId: ref.openalexId})
          ON CREATE SET target.uid = ref.uid, target.title = ref.openalexId
        CREATE (p)-[:RELATED_TO]->(target)
      }
      CALL (previousTargets) {
        UNWIND previousTargets AS target
        WITH DISTINCT target
        WHERE target.openalexHash IS NULL AND target.sourceHash IS NULL AND NOT EXISTS { (target)--() }
        DELETE target
      }
    }`;

/**
 * Writes a batch of works in one transaction. A work whose line is unchanged since it was last written
 * is only marked as read; a work met a second time in the same run (`$run`) is a duplicate and left
 * alone. Every work is reported with its state: new, changed, unchanged or duplicate (with the
 * `file:line` that came first).
 */
const writeWorksQuery = `
UNWIND $works AS w
CALL (w) {
  OPTIONAL MATCH (known:Paper {openalexId: w.openalexId})
  WITH w, known, known.importSource AS firstSource,
       CASE
         WHEN known IS NULL THEN 'new'
         WHEN known.importRun = $run THEN 'duplicate'
         WHEN known.openalexHash = w.hash THEN 'unchanged'
         ELSE 'changed'
       END AS state
  CALL (w, known, state) {
    WITH w, known WHERE state = 'unchanged'
    SET known.importRun = $run, known.importSource = w.source
  }
  CALL (w, known, state) {
    WITH w, known WHERE state IN ['new', 'changed']
    ${writeOneWork}
  }
  RETURN state, CASE WHEN state = 'duplicate' THEN firstSource END AS firstSource
}
RETURN w.source AS source, state, firstSource`;

export type WorkState = 'new' | 'changed' | 'unchanged' | 'duplicate';

export interface WorkWriteResult {
  source: string;
  state: WorkState;
  /** For a duplicate: where the work was read first in this run. */
  firstSource: string | null;
}

export async function writeWorks(cypher: Cypher, works: WorkRow[], run: string): Promise<WorkWriteResult[]> {
  return cypher.write<WorkWriteResult>(writeWorksQuery, { works, run });
}

/**
 * Removes the marks a run left on the works it read (see writeWorks), a slice per transaction so that
 * a large import does not need one huge transaction. Marks of an earlier run that was killed go too.
 */
export async function clearImportMarks(cypher: Cypher, slice = 20_000): Promise<void> {
  for (;;) {
    const [row] = await cypher.write<{ cleared: number }>(
      `MATCH (p:Paper) WHERE p.importRun IS NOT NULL
       WITH p LIMIT $slice
       REMOVE p.importRun, p.importSource
       RETURN count(p) AS cleared`,
      { slice: int(slice) },
    );
    if ((row?.cleared ?? 0) < slice) return;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading citations (src/graphql/types/Citations.ts)

/** Papers in the graph that cite each paper, in the order asked; 0 for unknown uids. */
export async function citationCountsOfPapers(cypher: Cypher, uids: readonly string[]): Promise<number[]> {
  const rows = await cypher.read<{ uid: string; count: number }>(
    `UNWIND $uids AS uid
     OPTIONAL MATCH (p:Paper {uid: uid})
     RETURN uid, ${citationCountOf('p')} AS count`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row.count]));
  return uids.map((uid) => byUid.get(uid) ?? 0);
}

const citationPatterns = {
  references: (parent: string) => `(${parent})-[:CITES]->(p:Paper)`,
  citedBy: (parent: string) => `(${parent})<-[:CITES]-(p:Paper)`,
} as const;
export type CitationDirection = keyof typeof citationPatterns;

/**
 * Expressions over a bound paper `parent`: one keyset page of the papers it cites (references) or that
 * cite it (citedBy) of the given kinds (all when null), in any paper ordering, and how many there are. `parent` must not be named `p`
 * (the page's own variable, which the ordering expressions use). Used alone (citationPagesOfPapers)
 * and folded into the paper's own query (folded.ts).
 */
export function citationPageExpressions(
  parent: string,
  direction: CitationDirection,
  page: PageQuery<PaperOrder>,
  properties: readonly PaperProperty[] = paperProperties,
  kinds: readonly PaperKind[] | null = null,
): { rows: string; total: string; params: Record<string, unknown> } {
  if (parent === 'p') throw new Error('the parent of a citation page cannot be named p');
  const pattern = citationPatterns[direction](parent);
  const { where, orderBy, limit } = keysetFragments(page, 'p.uid', 'citations');
  const ofKinds = paperKindIn('p', '$citationsKinds');
  return {
    rows: `COLLECT {
       MATCH ${pattern}
       WHERE ${ofKinds}
       WITH p, ${paperOrderExpressions[page.order]} AS sortValue
       WHERE ${where}
       ORDER BY ${orderBy}
       LIMIT ${limit}
       RETURN { node: ${paperProjection('p', properties)}, sortValue: sortValue }
     }`,
    total: `COUNT { MATCH ${pattern} WHERE ${ofKinds} }`,
    params: { citationsKinds: kinds, ...keysetParams(page, 'citations') },
  };
}

/** For each parent paper, one keyset page of its references or citers: one round-trip for all parents. */
export async function citationPagesOfPapers(
  cypher: Cypher,
  parentUids: readonly string[],
  direction: CitationDirection,
  page: PageQuery<PaperOrder>,
  properties: readonly PaperProperty[] = paperProperties,
  kinds: readonly PaperKind[] | null = null,
): Promise<{ parentUid: string; rows: KeysetRow<PaperRecord>[]; total: number }[]> {
  const citations = citationPageExpressions('parent', direction, page, properties, kinds);
  return cypher.read(
    `UNWIND $parentUids AS parentUid
     MATCH (parent:Paper {uid: parentUid})
     RETURN parentUid, ${citations.rows} AS rows, ${citations.total} AS total`,
    { parentUids, ...citations.params },
  );
}

const overlapPatterns = {
  /** Co-citation: q is cited together with p by `via`. */
  coCitation: '(p)<-[:CITES]-(via:Paper)-[:CITES]->(q:Paper)',
  /** Bibliographic coupling: q shares the reference `via` with p. */
  coupling: '(p)-[:CITES]->(via:Paper)<-[:CITES]-(q:Paper)',
} as const;
export type OverlapKind = keyof typeof overlapPatterns;

export interface CitationOverlapRecord {
  paperUid: string;
  paper: PaperRecord;
  /** Papers citing both (co-citation) or references both cite (coupling). */
  overlap: number;
}

/** For each paper, the papers of the given kinds (all when null) that overlap with it most, most first (then by title and uid). */
export async function citationOverlapsOfPapers(
  cypher: Cypher,
  uids: readonly string[],
  kind: OverlapKind,
  limit: number,
  kinds: readonly PaperKind[] | null = null,
): Promise<CitationOverlapRecord[]> {
  return cypher.read<CitationOverlapRecord>(
    `UNWIND $uids AS paperUid
     MATCH (p:Paper {uid: paperUid})
     CALL (p) {
       MATCH ${overlapPatterns[kind]}
       WHERE q <> p AND ${paperKindIn('q', '$kinds')}
       WITH q, count(DISTINCT via) AS overlap
       ORDER BY overlap DESC, q.title, q.uid
       LIMIT $limit
       RETURN q, overlap
     }
     RETURN paperUid, ${paperProjection('q')} AS paper, overlap`,
    { uids, limit: int(limit), kinds },
  );
}

export interface AuthorCitationStats {
  /** Sum of the in-graph citation counts of the author's papers. */
  citationCount: number;
  /** The largest h such that h of the author's papers are each cited by at least h papers in the graph. */
  hIndex: number;
}

/** Citation count and h-index of each author, in the order asked (zeros for unknown uids). */
export async function citationStatsOfAuthors(cypher: Cypher, uids: readonly string[]): Promise<AuthorCitationStats[]> {
  const rows = await cypher.read<AuthorCitationStats & { uid: string }>(
    `UNWIND $uids AS uid
     OPTIONAL MATCH (author:Author {uid: uid})
     CALL (author) {
       MATCH (author)-[:AUTHORED]->(p:Paper)
       WITH DISTINCT p
       WITH ${citationCountOf('p')} AS citations
       ORDER BY citations DESC
       RETURN collect(citations) AS counts
     }
     RETURN uid,
            reduce(total = 0, c IN counts | total + c) AS citationCount,
            size([i IN range(0, size(counts) - 1) WHERE counts[i] > i]) AS hIndex`,
    { uids },
  );
  const byUid = new Map(rows.map((row) => [row.uid, row]));
  return uids.map((uid) => ({ citationCount: byUid.get(uid)?.citationCount ?? 0, hIndex: byUid.get(uid)?.hIndex ?? 0 }));
}
