import { parseArgs } from 'node:util';
import { type AnalyzeOptions, defaultAnalyzeOptions } from '../src/analytics/analyze.ts';
import { runAnalysis, runLoaderCommand, withLoaderDatabase } from './loader-cli.ts';

const usage = `usage: npm run analyze -- [--seed N] [--top-k N] [--hub-cap N] [--max-memory-mb N] [--batch-size N]
  Computes influence (PageRank), research communities (Louvain) and similar papers over the graph in
  Neo4j and stores them there (see docs/analytics.md). Exits 3, having read nothing, when the analysis
  would need more memory than the cap.
  --seed N           Louvain's random seed (default ${defaultAnalyzeOptions.seed}): the same seed on the same graph gives the same communities
  --top-k N          similar papers stored per paper (default ${defaultAnalyzeOptions.similarTopK})
  --hub-cap N        a reference, citer or author linked to more than N papers makes no similarity candidates (default ${defaultAnalyzeOptions.hubCap})
  --max-memory-mb N  refuse a graph whose analysis would need more (default ANALYZE_MAX_MEMORY_MB or ${defaultAnalyzeOptions.maxMemoryMb})
  --batch-size N     papers per read and per write transaction (default ${defaultAnalyzeOptions.batchSize})`;

class UsageError extends Error {}

function positiveNumber(name: string, raw: string | undefined, integer = true): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`${name} must be a positive ${integer ? 'integer' : 'number'}, got "${raw}"`);
  }
  return value;
}

async function main(): Promise<number> {
  let options: AnalyzeOptions;
  try {
    const { values } = parseArgs({
      options: {
        seed: { type: 'string' },
        'top-k': { type: 'string' },
        'hub-cap': { type: 'string' },
        'max-memory-mb': { type: 'string' },
        'batch-size': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      process.stdout.write(`${usage}\n`);
      return 0;
    }
    options = {
      seed: positiveNumber('--seed', values.seed),
      similarTopK: positiveNumber('--top-k', values['top-k']),
      hubCap: positiveNumber('--hub-cap', values['hub-cap']),
      maxMemoryMb: positiveNumber('--max-memory-mb', values['max-memory-mb'], false),
      batchSize: positiveNumber('--batch-size', values['batch-size']),
    };
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  return withLoaderDatabase((database) => runAnalysis(database, options));
}

runLoaderCommand('analyze', main);
