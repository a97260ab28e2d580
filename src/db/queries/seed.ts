import type { Cypher } from '../run.ts';

/** One summary page, shaped for the write query: keys computed, dates as ISO strings. */
export interface PageRow {
  source: string;
  sourceHash: string;
  uid: string;
  titleKey: string;
  arxivId: string | null;
  version: number | null;
  url: string | null;
  title: string;
  titleJa: string | null;
  publishedAt: string | null;
  status: string | null;
  siteUpdatedAt: string | null;
  score: number | null;
  license: string | null;
  summaryJa: string | null;
  abstract: string | null;
  abstractJa: string | null;
  authors: { uid: string; key: string; name: string; position: number }[];
  related: { uid: string; titleKey: string; title: string; score: number; rank: number; publishedAt: string | null; summaryJa: string }[];
}

/**
 * Writes a batch of pages in one transaction. A page whose content hash is already stored is skipped,
 * so a re-run changes nothing. A changed page replaces its fields, its author list and its related list;
 * authors and stub papers that lose their last relationship are removed.
 *
 * Related entries merge into papers by title key. A stub (a paper known only from related entries) takes
 * its title, date and summary from the mention with the smallest page hash, and a paper's own page
 * always wins over any mention: so the final graph does not depend on the order files are loaded in.
 */
const writePagesQuery = `
UNWIND $pages AS page
MERGE (p:Paper {titleKey: page.titleKey})
  ON CREATE SET p.uid = page.uid
WITH p, page
WHERE p.sourceHash IS NULL OR p.sourceHash <> page.sourceHash
SET p.arxivId = page.arxivId,
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
    p.stubHash = null
WITH p, page
CALL (p) {
  OPTIONAL MATCH (p)<-[authored:AUTHORED]-(author:Author)
  WITH collect(author) AS previousAuthors, collect(authored) AS authoredLinks
  FOREACH (link IN authoredLinks | DELETE link)
  RETURN previousAuthors
}
CALL (p) {
  OPTIONAL MATCH (p)-[related:RELATED_TO]->(target:Paper)
  WITH collect(target) AS previousTargets, collect(related) AS relatedLinks
  FOREACH (link IN relatedLinks | DELETE link)
  RETURN previousTargets
}
CALL (p, page) {
  UNWIND page.authors AS entry
  MERGE (author:Author {key: entry.key})
    ON CREATE SET author.uid = entry.uid, author.name = entry.name
  MERGE (author)-[authored:AUTHORED]->(p)
  SET authored.position = toInteger(entry.position)
}
CALL (p, page) {
  UNWIND page.related AS entry
  WITH entry WHERE entry.titleKey <> page.titleKey
  MERGE (target:Paper {titleKey: entry.titleKey})
    ON CREATE SET target.uid = entry.uid
  MERGE (p)-[related:RELATED_TO]->(target)
  SET related.score = toFloat(entry.score), related.rank = toInteger(entry.rank)
  WITH target, entry
  WHERE target.sourceHash IS NULL AND (target.stubHash IS NULL OR page.sourceHash <= target.stubHash)
  SET target.title = entry.title,
      target.publishedAt = datetime(entry.publishedAt),
      target.summaryJa = entry.summaryJa,
      target.stubHash = page.sourceHash
}
CALL (previousAuthors, previousTargets) {
  UNWIND previousAuthors AS author
  WITH author WHERE NOT EXISTS { (author)--() }
  DELETE author
  UNION
  UNWIND previousTargets AS target
  WITH target WHERE target.sourceHash IS NULL AND NOT EXISTS { (target)--() }
  DELETE target
}
RETURN count(p) AS written`;

/** Returns how many of the pages were written (the others were unchanged). */
export async function writePages(cypher: Cypher, pages: PageRow[]): Promise<number> {
  const [row] = await cypher.write<{ written: number }>(writePagesQuery, { pages });
  return row?.written ?? 0;
}

export async function countPapers(cypher: Cypher): Promise<number> {
  const [row] = await cypher.read<{ papers: number }>('MATCH (p:Paper) RETURN count(p) AS papers');
  return row?.papers ?? 0;
}
