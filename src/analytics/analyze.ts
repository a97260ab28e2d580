import { defaultAnalyzeMaxMemoryMb } from '../config.ts';
import type { Database } from '../db/driver.ts';
import {
  clearStaleCommunityIds,
  ensureAnalyticsSchema,
  readAnalyticsCounts,
  writeAnalyticsRun,
  writeAuthorResults,
  writeCommunities,
  writePaperResults,
  writeSimilar,
  type AnalyticsCounts,
  type AnalyticsRunRecord,
  type AuthorResultRow,
  type PaperResultRow,
} from '../db/queries/analytics.ts';
import { Cypher } from '../db/run.ts';
import { AnalyticsLimitError, computeCommunities } from './communities.ts';
import { readGraphData } from './graph-data.ts';
import { authorInfluence, computeInfluence, ranksOf } from './influence.ts';
import { similarBatches } from './similarity.ts';

export { AnalyticsLimitError };

export interface AnalyzeOptions {
  /** Louvain's seed. */
  seed?: number;
  /** Similar papers kept per paper. */
  similarTopK?: number;
  /** Degree above which a node makes no pairs or candidates (see communities.ts and similarity.ts). */
  hubCap?: number;
  /** Refuse to analyse a graph whose estimated memory exceeds this. */
  maxMemoryMb?: number;
  /** Papers per read and per write. */
  batchSize?: number;
  onProgress?: (line: string) => void;
}

export const defaultAnalyzeOptions = { seed: 42, similarTopK: 10, hubCap: 100, maxMemoryMb: defaultAnalyzeMaxMemoryMb, batchSize: 5_000 } as const;

/**
 * Bytes the analysis holds per paper, author, link and co-citation/coupling pair at its peak: the
 * typed arrays, the uids and titles, and the graphology graph being ranked or partitioned (see
 * bench/analyze.ts for how they were measured).
 */
export const memoryModel = { perPaper: 1_000, perAuthor: 200, perLink: 600, perPair: 350 } as const;

export function estimatedBytes(counts: AnalyticsCounts): number {
  return (
    counts.papers * memoryModel.perPaper +
    counts.authors * memoryModel.perAuthor +
    (counts.citations + counts.relatedEdges + counts.authorships) * memoryModel.perLink
  );
}

export interface AnalyzeSummary extends AnalyticsRunRecord {
  modularity: number;
}

/**
 * `npm run analyze`: reads the paper graph out of Neo4j once, computes influence (PageRank),
 * communities (Louvain) and similar papers, releases the graph, and writes the results back in batches
 * (writes routed to the leader). Refuses, before reading anything, a graph whose estimated memory
 * exceeds the cap.
 */
export async function analyzeGraph(database: Database, options: AnalyzeOptions = {}): Promise<AnalyzeSummary> {
  const settings = { ...defaultAnalyzeOptions, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<AnalyzeOptions>;
  const progress = settings.onProgress ?? (() => {});
  const started = Date.now();
  const ranAt = new Date(started).toISOString();
  const cypher = new Cypher(database);

  const counts = await readAnalyticsCounts(cypher);
  const capBytes = settings.maxMemoryMb * 1024 * 1024;
  const estimate = estimatedBytes(counts);
  const mb = (bytes: number) => Math.ceil(bytes / 1024 / 1024);
  if (estimate > capBytes) {
    throw new AnalyticsLimitError(
      `analysing ${counts.papers} papers and ${counts.citations + counts.relatedEdges + counts.authorships} links would take about ${mb(estimate)} MB, more than the cap of ${settings.maxMemoryMb} MB (--max-memory-mb / ANALYZE_MAX_MEMORY_MB)`,
    );
  }
  progress(
    `analyze: ${counts.papers} papers, ${counts.authors} authors, ${counts.citations} citations, ${counts.relatedEdges} related links, ${counts.authorships} authorships (about ${mb(estimate)} MB of ${settings.maxMemoryMb})`,
  );
  await ensureAnalyticsSchema(cypher);

  let read = { papers: 0, authors: 0, links: 0 };
  let data: Awaited<ReturnType<typeof readGraphData>> | null = await readGraphData(cypher, {
    batchSize: settings.batchSize,
    onBatch: (kind, count) => {
      read = { ...read, [kind]: read[kind] + count };
      if (kind === 'links') progress(`analyze: read the links of ${read.links}/${read.papers} papers`);
    },
  });
  const n = data.paperUids.length;

  const influence = computeInfluence(data);
  progress(`analyze: influence (PageRank over ${influence.over}) of ${n} papers`);
  const authorScores = authorInfluence(data, influence.scores);
  const authorRanks = ranksOf(authorScores);

  const maxPairs = Math.max(0, Math.floor((capBytes - estimate) / memoryModel.perPair));
  const communities = computeCommunities(data, influence.scores, { seed: settings.seed, hubCap: settings.hubCap, maxPairs });
  progress(`analyze: ${communities.list.length} communities (modularity ${communities.modularity.toFixed(3)}) over ${communities.links} links`);

  let similarLinks = 0;
  for (const batch of similarBatches(data, { topK: settings.similarTopK, hubCap: settings.hubCap }, settings.batchSize)) {
    await writeSimilar(cypher, batch);
    similarLinks += batch.reduce((sum, row) => sum + row.similar.length, 0);
  }
  progress(`analyze: ${similarLinks} similar-paper links written`);

  const paperUids = data.paperUids;
  const authorUids = data.authorUids;
  // The graph is released before the rest is written: only the per-node results stay.
  data = null;

  await writeCommunities(
    cypher,
    communities.list.map((community) => ({
      uid: community.uid,
      size: community.members.length,
      label: community.label,
      terms: community.terms,
      influence: community.influence,
      neighbours: community.neighbours,
    })),
    ranAt,
  );
  for (let start = 0; start < n; start += settings.batchSize) {
    const rows: PaperResultRow[] = [];
    for (let paper = start; paper < Math.min(n, start + settings.batchSize); paper += 1) {
      const community = communities.of[paper]!;
      rows.push([paperUids[paper]!, influence.scores[paper]!, influence.ranks[paper]!, influence.percentiles[paper]!, community < 0 ? null : communities.list[community]!.uid]);
    }
    await writePaperResults(cypher, rows);
    progress(`analyze: wrote ${Math.min(n, start + settings.batchSize)}/${n} papers`);
  }
  await clearStaleCommunityIds(cypher, ranAt);
  for (let start = 0; start < authorUids.length; start += settings.batchSize) {
    const rows: AuthorResultRow[] = [];
    for (let author = start; author < Math.min(authorUids.length, start + settings.batchSize); author += 1) {
      rows.push([authorUids[author]!, authorScores[author]!, authorRanks.ranks[author]!, authorRanks.percentiles[author]!]);
    }
    await writeAuthorResults(cypher, rows);
  }

  const run: AnalyticsRunRecord = {
    ranAt,
    durationMs: Date.now() - started,
    ...counts,
    influenceOver: influence.over,
    communities: communities.list.length,
    similarLinks,
    links: communities.links,
  };
  await writeAnalyticsRun(cypher, run);
  return { ...run, modularity: communities.modularity };
}
