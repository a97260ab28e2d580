import { setImmediate } from 'node:timers/promises';
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
  type SimilarRow,
} from '../db/queries/analytics.ts';
import { PipelinedWriter } from '../db/pipelined-writer.ts';
import { Cypher } from '../db/run.ts';
import { AnalyticsLimitError, communitySimilarPerPaper, computeCommunities } from './communities.ts';
import { FloatList, IntList, readGraphData } from './graph-data.ts';
import { authorInfluence, computeInfluence, ranksOf } from './influence.ts';
import { similarBatches } from './similarity.ts';

export { AnalyticsLimitError };

/** Papers whose similar papers are computed between two turns of the event loop. */
const similarChunk = 500;
/** A similar-paper write carries about this many links per paper of the batch size (top k is 10 by default). */
const similarLinksPerPaperBatch = 4;

export interface AnalyzeOptions {
  /** Louvain's seed. */
  seed?: number;
  /** Similar papers kept per paper. */
  similarTopK?: number;
  /** Degree above which a reference, citer or author makes no similarity candidates (see similarity.ts). */
  hubCap?: number;
  /** Refuse to analyse a graph whose estimated memory exceeds this. */
  maxMemoryMb?: number;
  /** Papers per read and per write. */
  batchSize?: number;
  onProgress?: (line: string) => void;
}

export const defaultAnalyzeOptions = { seed: 42, similarTopK: 10, hubCap: 100, maxMemoryMb: defaultAnalyzeMaxMemoryMb, batchSize: 5_000 } as const;

/**
 * Bytes the analysis holds at its peak per paper, per author, per authorship (typed arrays only) and per
 * link of the community graph (citations, related links and each paper's first similar papers), which
 * is mostly graphology's graph. Fitted to the peak heap bench/analyze.ts reports (docs/analytics.md).
 */
export const memoryModel = { base: 64 * 1024 * 1024, perPaper: 1_000, perAuthor: 200, perAuthorship: 50, perLink: 550 } as const;

export function estimatedBytes(counts: AnalyticsCounts): number {
  return (
    memoryModel.base +
    counts.papers * memoryModel.perPaper +
    counts.authors * memoryModel.perAuthor +
    counts.authorships * memoryModel.perAuthorship +
    (counts.citations + counts.relatedEdges + counts.papers * communitySimilarPerPaper) * memoryModel.perLink
  );
}

export interface AnalyzeSummary extends AnalyticsRunRecord {
  modularity: number;
}

/**
 * `npm run analyze`: reads the paper graph out of Neo4j once, computes influence (PageRank), similar
 * papers and communities (Louvain), and writes the results back in batches (writes routed to the
 * leader). Refuses, before reading anything, a graph whose estimated memory exceeds the cap.
 */
export async function analyzeGraph(database: Database, options: AnalyzeOptions = {}): Promise<AnalyzeSummary> {
  const settings = { ...defaultAnalyzeOptions, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<AnalyzeOptions>;
  const started = Date.now();
  const progress = (line: string) => settings.onProgress?.(`analyze: [${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`);
  const ranAt = new Date(started).toISOString();
  const cypher = new Cypher(database);

  const counts = await readAnalyticsCounts(cypher);
  const estimate = estimatedBytes(counts);
  const mb = (bytes: number) => Math.ceil(bytes / 1024 / 1024);
  const links = counts.citations + counts.relatedEdges + counts.authorships;
  if (estimate > settings.maxMemoryMb * 1024 * 1024) {
    throw new AnalyticsLimitError(
      `analysing ${counts.papers} papers and ${links} links would take about ${mb(estimate)} MB, more than the cap of ${settings.maxMemoryMb} MB (--max-memory-mb / ANALYZE_MAX_MEMORY_MB)`,
    );
  }
  progress(
    `${counts.papers} papers, ${counts.authors} authors, ${counts.citations} citations, ${counts.relatedEdges} related links, ${counts.authorships} authorships (about ${mb(estimate)} MB of ${settings.maxMemoryMb})`,
  );
  await ensureAnalyticsSchema(cypher);

  let read = 0;
  const data = await readGraphData(cypher, {
    batchSize: settings.batchSize,
    onBatch: (kind, count) => {
      if (kind !== 'links') return;
      read += count;
      progress(`read the links of ${read} papers`);
    },
  });
  const n = data.paperUids.length;

  const influence = computeInfluence(data);
  progress(`influence (PageRank over ${influence.over}) of ${n} papers`);
  const authorScores = authorInfluence(data, influence.scores);
  const authorRanks = ranksOf(authorScores);

  // Similar papers are written as they are found, each batch while the next is computed (Neo4j and
  // Node work at once); each paper's first few are kept (by index) for the community graph.
  const similarFrom = new IntList();
  const similarTo = new IntList();
  const similarScore = new FloatList();
  let similarLinks = 0;
  const writer = new PipelinedWriter();
  let batch: SimilarRow[] = [];
  let batchLinks = 0;
  let done = 0;
  const flushSimilar = async () => {
    const full = batch;
    batch = [];
    similarLinks += batchLinks;
    batchLinks = 0;
    await writer.write(() => writeSimilar(cypher, full));
    progress(`similar papers of ${done}/${n} papers`);
  };
  for (const chunk of similarBatches(data, { topK: settings.similarTopK, hubCap: settings.hubCap }, similarChunk)) {
    for (const { paper, similar } of chunk) {
      const row: SimilarRow = [data.paperIds[paper]!, [], [], [], [], []];
      done = paper + 1;
      similar.forEach(({ paper: other, score, references, citers, authors }, position) => {
        if (position < communitySimilarPerPaper) {
          similarFrom.push(paper);
          similarTo.push(other);
          similarScore.push(score);
        }
        row[1].push(data.paperIds[other]!);
        row[2].push(score);
        row[3].push(references);
        row[4].push(citers);
        row[5].push(authors);
      });
      batch.push(row);
      batchLinks += similar.length;
    }
    if (batchLinks >= settings.batchSize * similarLinksPerPaperBatch) await flushSimilar();
    // Lets the driver send the write in flight and read its answer between chunks.
    else await setImmediate();
  }
  if (batch.length > 0) await flushSimilar();
  await writer.drain();

  const communities = computeCommunities(data, { from: similarFrom.toArray(), to: similarTo.toArray(), score: similarScore.toArray() }, influence.scores, {
    seed: settings.seed,
  });
  progress(`${communities.list.length} communities (modularity ${communities.modularity.toFixed(3)}) over ${communities.links} links`);

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
  for (let start = 0; start < n; start += settings.batchSize * 2) {
    const rows: PaperResultRow[] = [];
    for (let paper = start; paper < Math.min(n, start + settings.batchSize * 2); paper += 1) {
      const community = communities.of[paper]!;
      rows.push([
        data.paperIds[paper]!,
        influence.scores[paper]!,
        influence.ranks[paper]!,
        influence.percentiles[paper]!,
        community < 0 ? null : communities.list[community]!.uid,
      ]);
    }
    await writer.write(() => writePaperResults(cypher, rows));
    progress(`wrote ${Math.min(n, start + settings.batchSize * 2)}/${n} papers`);
  }
  for (let start = 0; start < data.authorUids.length; start += settings.batchSize * 2) {
    const rows: AuthorResultRow[] = [];
    for (let author = start; author < Math.min(data.authorUids.length, start + settings.batchSize * 2); author += 1) {
      rows.push([data.authorIds[author]!, authorScores[author]!, authorRanks.ranks[author]!, authorRanks.percentiles[author]!]);
    }
    await writer.write(() => writeAuthorResults(cypher, rows));
  }
  await writer.drain();
  await clearStaleCommunityIds(cypher, ranAt);

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
