import type { ParsedPage, RelatedEntry } from '../../load/page-parser.ts';
import type { Cypher } from '../run.ts';

/** One parsed summary page, shaped for the write query: merge keys and uids computed. */
export type PageRow = Omit<ParsedPage, 'authors' | 'related'> & {
  sourceHash: string;
  uid: string;
  titleKey: string;
  authors: { uid: string; key: string; name: string; position: number }[];
  related: (RelatedEntry & { uid: string; titleKey: string })[];
  /**
   * When the paper of this arXiv id holds another title key than the page's: the uid of a stub of that
   * key, which takes the mentions of the former title (set by the loader from formerTitleKeys).
   */
  formerStubUid?: string | null;
};

/**
 * Writes a batch of pages in one transaction. A page whose content hash is already stored is skipped,
 * so a re-run changes nothing. A changed page replaces its fields, its author list and its related list;
 * authors and stub papers that lose their last relationship are removed.
 *
 * Identity: a page's paper is the paper of its arXiv id, whatever the page's title says, so an edited
 * page (a corrected title too) updates its paper in place, keeping its uid, authorships, citations and
 * the links to it. Only when no paper has the arXiv id does the page take over a paper without a page
 * that holds its title key (a related entry's stub, an OpenAlex work without arXiv id); otherwise it
 * gets a new paper. The loader lets one page per arXiv id into a run (src/load/pages.ts).
 *
 * Related entries merge into papers by title key. Each mention keeps its title, date and summary on its
 * RELATED_TO, and each authorship the name as that page prints it. A stub (a paper known only from
 * related entries) shows the mention from the page with the smallest content hash, an author the
 * spelling from that page, and a paper's own page always wins over any mention. Both are kept so for
 * every author and stub a write touches (an author's spelling is read again from all its authorships
 * only when the write can have changed it), so the graph depends only on the files, not on the order
 * they were loaded in or on what earlier versions of them said: a mention always points at the paper
 * holding its title key, so when a page's title changes, the mentions of its former title go to a stub
 * of that title, as a fresh load would have them.
 */
export const writePagesQuery = `
UNWIND $pages AS page
// The paper of each page, one page at a time (a CALL runs once per row and sees what the rows before it
// wrote), so that a page finds the title keys, stubs and papers the pages before it in the batch left.
CALL (page) {
  OPTIONAL MATCH (known:Paper {arxivId: page.arxivId})
  OPTIONAL MATCH (titled:Paper {titleKey: page.titleKey})
    WHERE known IS NULL AND titled.arxivId IS NULL AND (titled.sourceHash IS NULL OR page.arxivId IS NULL)
  WITH page, coalesce(known, titled) AS found
  // A paper whose uid predates the arXiv-derived one is written again, once.
  WHERE found IS NULL OR found.sourceHash IS NULL OR found.sourceHash <> page.sourceHash OR found.uid <> page.uid
  CALL (page, found) {
    WITH found WHERE found IS NOT NULL
    RETURN found AS p
    UNION
    WITH page, found WHERE found IS NULL
    CREATE (p:Paper {uid: page.uid})
    RETURN p
  }
  // The page's fields now, so that the pages after it in the batch see a paper with a page.
  SET p.uid = page.uid,
      p.arxivId = page.arxivId,
      p.version = toInteger(page.version),
      p.url = page.url,
      p.title = page.title,
      p.titleJa = page.titleJa,
      p.publishedAt = datetime(page.publishedAt),
      p.status = page.status,
      p.siteUpdatedAt = datetime(page.siteUpdatedAt),
      p.score = toFloat(page.score),
      p.license = page.license,
      p.summaryJa = page.summaryJa,
      p.abstract = page.abstract,
      p.abstractJa = page.abstractJa,
      p.sourceFile = page.source,
      p.sourceHash = page.sourceHash,
      // A page's paper holds its title key as the page's, never as a work's.
      p.titleKeyFromWork = null
  WITH p, page
  CALL (p, page) {
    WITH p, page, p.titleKey AS formerKey WHERE formerKey IS NULL OR formerKey <> page.titleKey
    REMOVE p.titleKey
    WITH p, page, formerKey
    // The mentions of the former title stay with that title: a stub of it takes them (its uid derives
    // from the title key, so the loader computed it beforehand).
    CALL (p, page, formerKey) {
      WITH p, page, formerKey WHERE formerKey IS NOT NULL AND EXISTS { (:Paper)-[m:RELATED_TO WHERE m.score IS NOT NULL]->(p) }
      CREATE (stub:Paper {titleKey: formerKey, uid: page.formerStubUid})
      WITH p, stub
      CALL (p, stub) {
        MATCH (source:Paper)-[mention:RELATED_TO]->(p) WHERE mention.score IS NOT NULL
        CREATE (source)-[moved:RELATED_TO]->(stub)
        SET moved = properties(mention)
        DELETE mention
      }
      CALL (stub) {
        MATCH (source:Paper)-[mention:RELATED_TO]->(stub)
        WITH stub, mention ORDER BY source.sourceHash, mention.title LIMIT 1
        SET stub.title = mention.title, stub.publishedAt = mention.publishedAt, stub.summaryJa = mention.summaryJa
      }
    }
    // A paper without a page that holds the new title: its mentions come to this paper; a stub is then
    // removed, an OpenAlex work keeps its node and gives the key up.
    OPTIONAL MATCH (holder:Paper {titleKey: page.titleKey}) WHERE holder.sourceHash IS NULL
    CALL (p, holder) {
      WITH p, holder WHERE holder IS NOT NULL
      MATCH (source:Paper)-[mention:RELATED_TO]->(holder) WHERE mention.score IS NOT NULL
      CREATE (source)-[moved:RELATED_TO]->(p)
      SET moved = properties(mention)
      DELETE mention
    }
    FOREACH (stub IN CASE WHEN holder IS NOT NULL AND holder.openalexId IS NULL THEN [holder] ELSE [] END | DETACH DELETE stub)
    FOREACH (_ IN CASE WHEN holder.openalexId IS NOT NULL THEN [1] ELSE [] END | REMOVE holder.titleKey, holder.titleKeyFromWork)
    // A title another page holds stays with that page (two papers can share a title): this one takes none.
    WITH p, page
    SET p.titleKey = CASE WHEN EXISTS { MATCH (other:Paper {titleKey: page.titleKey}) } THEN null ELSE page.titleKey END
  }
  RETURN p
}
WITH p, page
CALL (p) {
  OPTIONAL MATCH (p)<-[authored:AUTHORED]-(author:Author)
  // Authors whose removed link is spelt as they are named: that link may be the one the name came from.
  WITH collect(author) AS previousAuthors, collect(authored) AS authoredLinks,
       collect(CASE WHEN authored.name = author.name THEN author END) AS namedByRemoved
  FOREACH (link IN authoredLinks | DELETE link)
  RETURN previousAuthors, namedByRemoved
}
// An OpenAlex work's affiliations (src/db/queries/load-openalex.ts) go with the authorships the page replaces.
CALL (p, previousAuthors) {
  UNWIND previousAuthors AS author
  MATCH (author)-[affiliation:AFFILIATED_WITH {work: p.openalexId}]->(institution:Institution)
  DELETE affiliation
  RETURN collect(DISTINCT institution) AS droppedInstitutions
}
CALL (p) {
  // The page's own list: scored links (OpenAlex's related works carry no score and stay).
  OPTIONAL MATCH (p)-[related:RELATED_TO]->(target:Paper) WHERE related.score IS NOT NULL
  WITH collect(target) AS previousTargets, collect(related) AS relatedLinks
  FOREACH (link IN relatedLinks | DELETE link)
  RETURN previousTargets
}
CALL (p, page) {
  UNWIND page.authors AS entry
  MERGE (author:Author {key: entry.key})
    ON CREATE SET author.uid = entry.uid, author.name = entry.name
  MERGE (author)-[authored:AUTHORED]->(p)
  SET authored.position = toInteger(entry.position), authored.name = entry.name
}
CALL (p, page) {
  UNWIND page.related AS entry
  WITH entry WHERE entry.titleKey <> page.titleKey
  MERGE (target:Paper {titleKey: entry.titleKey})
    ON CREATE SET target.uid = entry.uid
  MERGE (p)-[related:RELATED_TO]->(target)
  SET related.score = toFloat(entry.score),
      related.rank = toInteger(entry.rank),
      related.title = entry.title,
      related.publishedAt = datetime(entry.publishedAt),
      related.summaryJa = entry.summaryJa
}
CALL (p, previousAuthors, namedByRemoved) {
  OPTIONAL MATCH (current:Author)-[:AUTHORED]->(p)
  WITH p, previousAuthors, namedByRemoved, collect(current) AS currentAuthors
  WITH p, namedByRemoved, previousAuthors + currentAuthors AS touched
  UNWIND touched AS author
  WITH DISTINCT p, namedByRemoved, author
  WHERE EXISTS { (author)-[:AUTHORED]->() }
  // A page author's name is the spelling of its smallest authorship (this very rule, applied at every
  // write), so it can only change when this write removed a link spelt like the name (maybe the
  // smallest) or added one spelt otherwise (maybe smaller); any other write leaves it as it is, and a
  // prolific author's authorships are not all read again for each of their pages (that made a batch's
  // cost grow with the graph: ~10x the db hits at 100,000 pages). This holds as well when Neo4j runs the
  // stages of the query for all the batch's pages in turn. OpenAlex authors (named by seed/openalex/
  // under another rule) are always recomputed.
  WITH author, p, namedByRemoved
  WHERE author.openalexId IS NOT NULL
     OR author IN namedByRemoved
     OR EXISTS { MATCH (author)-[added:AUTHORED]->(p) WHERE added.name <> author.name }
  CALL (author) {
    MATCH (author)-[authored:AUTHORED]->(paper:Paper)
    WITH authored ORDER BY paper.sourceHash, authored.name LIMIT 1
    SET author.name = authored.name
  }
}
CALL (p, previousTargets) {
  OPTIONAL MATCH (p)-[:RELATED_TO]->(current:Paper)
  WITH previousTargets, collect(current) AS currentTargets
  WITH previousTargets + currentTargets AS touched
  UNWIND touched AS target
  WITH DISTINCT target
  WHERE target.sourceHash IS NULL AND EXISTS { (:Paper)-[m:RELATED_TO WHERE m.score IS NOT NULL]->(target) }
  CALL (target) {
    MATCH (source:Paper)-[mention:RELATED_TO]->(target) WHERE mention.score IS NOT NULL
    WITH target, mention ORDER BY source.sourceHash, mention.title LIMIT 1
    SET target.summaryJa = mention.summaryJa
    // An OpenAlex work's own title and date win over a mention's.
    FOREACH (_ IN CASE WHEN target.openalexHash IS NULL THEN [1] ELSE [] END |
      SET target.title = mention.title, target.publishedAt = mention.publishedAt)
  }
}
// Authors, institutions and stubs left with no relationship are removed once for the whole batch: Neo4j runs this
// query stage by stage over all the batch's pages (its plan is full of Eager), so when two changed
// pages both dropped the same author or stub, a removal per page would meet the node already deleted.
WITH count(p) AS written, collect(previousAuthors + droppedInstitutions) AS droppedAuthors, collect(previousTargets) AS droppedTargets
CALL (droppedAuthors) {
  UNWIND droppedAuthors AS authors
  UNWIND authors AS author
  WITH DISTINCT author
  WHERE NOT EXISTS { (author)--() }
  DELETE author
}
CALL (droppedTargets) {
  UNWIND droppedTargets AS targets
  UNWIND targets AS target
  WITH DISTINCT target
  WHERE target.sourceHash IS NULL AND target.openalexId IS NULL AND NOT EXISTS { (target)--() }
  DELETE target
}
RETURN written`;

/** Returns how many of the pages were written (the others were unchanged). */
export async function writePages(cypher: Cypher, pages: PageRow[]): Promise<number> {
  const [row] = await cypher.write<{ written: number }>(writePagesQuery, { pages });
  return row?.written ?? 0;
}

/**
 * For each page whose arXiv id's paper holds another title key than the page's, that key (the page's
 * index in `pages` and the key): the write gives the key a stub, whose uid derives from it in JS.
 */
export async function formerTitleKeys(cypher: Cypher, pages: PageRow[]): Promise<{ index: number; key: string }[]> {
  return cypher.read<{ index: number; key: string }>(
    `UNWIND range(0, size($pages) - 1) AS index
     WITH index, $pages[index] AS page
     MATCH (p:Paper {arxivId: page.arxivId})
     WHERE p.titleKey <> page.titleKey
     RETURN index, p.titleKey AS key`,
    { pages: pages.map((page) => ({ arxivId: page.arxivId, titleKey: page.titleKey })) },
  );
}

export async function countPapers(cypher: Cypher): Promise<number> {
  const [row] = await cypher.read<{ papers: number }>('MATCH (p:Paper) RETURN count(p) AS papers');
  return row?.papers ?? 0;
}
