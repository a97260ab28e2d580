/** The writes of the OpenAlex importer (src/load/openalex.ts). */
import { int } from 'neo4j-driver';
import type { WorkRow } from '../../load/openalex-work.ts';
import type { Cypher } from '../run.ts';

/**
 * After `MERGE (node:Label {openalexId: entry.openalexId})`: the entity's properties from a work's
 * entry. The name is the smallest any work gives (so it does not depend on the order of the files),
 * the others the first given. The node is written only when something changes: a large venue or topic
 * is met by a good share of all works. `properties` come from the constant lists below, never from input.
 */
const fillEntity = (node: string, entry: string, properties: readonly string[]) => `
        ON CREATE SET ${[`${node}.name = ${entry}.name`, ...properties.map((property) => `${node}.${property} = ${entry}.${property}`)].join(', ')}
        FOREACH (_ IN CASE WHEN (${entry}.name IS NOT NULL AND (${node}.name IS NULL OR ${entry}.name < ${node}.name))${properties
          .map((property) => ` OR (${node}.${property} IS NULL AND ${entry}.${property} IS NOT NULL)`)
          .join('')} THEN [1] ELSE [] END |
          SET ${[
            `${node}.name = CASE WHEN ${entry}.name IS NOT NULL AND (${node}.name IS NULL OR ${entry}.name < ${node}.name) THEN ${entry}.name ELSE ${node}.name END`,
            ...properties.map((property) => `${node}.${property} = coalesce(${node}.${property}, ${entry}.${property})`),
          ].join(', ')})`;

const venueProperties = ['type', 'issnL'] as const;
const institutionProperties = ['country', 'type', 'ror'] as const;
const topicProperties = ['subfield', 'field', 'domain', 'level'] as const;

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
      // The work's affiliations go with its authorships (they carry its id); their institutions are
      // removed below if nothing points at them any more.
      CALL (w, previousAuthors) {
        UNWIND previousAuthors AS author
        MATCH (author)-[affiliation:AFFILIATED_WITH {work: w.openalexId}]->(institution:Institution)
        DELETE affiliation
        RETURN collect(DISTINCT institution) AS previousInstitutions
      }
      CALL (w) {
        UNWIND w.institutions AS entry
        MERGE (institution:Institution {openalexId: entry.openalexId})${fillEntity('institution', 'entry', institutionProperties)}
      }
      CALL (w, p) {
        UNWIND w.authors AS entry
        MERGE (author:Author {openalexId: entry.openalexId})
          ON CREATE SET author.uid = entry.uid, author.key = entry.key, author.name = entry.name
        // An authorship without institutions has no institutions property (no empty list), as Neo4j's
        // bulk importer writes it (src/load/openalex-bulk.ts), so both paths give the same graph.
        // The smallest spelling any work gives, so the name does not depend on the order of the files
        // (written only when it changes: a prolific author's node is touched by every one of their works).
        FOREACH (_ IN CASE WHEN entry.name < author.name THEN [1] ELSE [] END | SET author.name = entry.name)
        FOREACH (_ IN CASE WHEN author.orcid IS NULL AND entry.orcid IS NOT NULL THEN [1] ELSE [] END | SET author.orcid = entry.orcid)
        CREATE (author)-[:AUTHORED {position: toInteger(entry.position), name: entry.name, role: entry.role, institutions: CASE WHEN size(entry.institutions) > 0 THEN entry.institutions END}]->(p)
        WITH w, entry, author
        UNWIND entry.institutionIds AS institutionId
        MATCH (institution:Institution {openalexId: institutionId})
        CREATE (author)-[:AFFILIATED_WITH {work: w.openalexId, year: toInteger(w.publicationYear)}]->(institution)
      }
      CALL (previousAuthors, previousInstitutions) {
        UNWIND previousAuthors + previousInstitutions AS orphan
        WITH DISTINCT orphan WHERE NOT EXISTS { (orphan)--() }
        DELETE orphan
      }
    }
    // The venue and the topics, by OpenAlex id, for any paper (a page describes neither); a venue or
    // topic that no paper points at any more is removed.
    CALL (w, p) {
      CALL (p) {
        OPTIONAL MATCH (p)-[link:PUBLISHED_IN|HAS_TOPIC]->(entity)
        WITH collect(entity) AS previousEntities, collect(link) AS links
        FOREACH (link IN links | DELETE link)
        RETURN previousEntities
      }
      CALL (w, p) {
        UNWIND CASE WHEN w.publishedIn IS NULL THEN [] ELSE [w.publishedIn] END AS entry
        MERGE (venue:Venue {openalexId: entry.openalexId})${fillEntity('venue', 'entry', venueProperties)}
        CREATE (p)-[:PUBLISHED_IN]->(venue)
      }
      CALL (w, p) {
        UNWIND w.topics AS topicEntry
        WITH p, topicEntry { .*, level: toInteger(topicEntry.level) } AS entry
        MERGE (topic:Topic {openalexId: entry.openalexId})${fillEntity('topic', 'entry', topicProperties)}
        CREATE (p)-[:HAS_TOPIC {score: entry.score}]->(topic)
      }
      CALL (previousEntities) {
        UNWIND previousEntities AS orphan
        WITH DISTINCT orphan WHERE NOT EXISTS { (orphan)--() }
        DELETE orphan
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

/** Nodes in the database: the bulk importer (src/load/bulk-import.ts) only loads an empty one. */
export async function countNodes(cypher: Cypher): Promise<number> {
  const [row] = await cypher.read<{ nodes: number }>('MATCH (n) RETURN count(n) AS nodes');
  return row?.nodes ?? 0;
}
