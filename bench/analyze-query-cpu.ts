/**
 * Loaded into an analysis' Node process by `npm run bench:analyze -- --queries` (node --import): wraps
 * the side's Cypher runner so that each query's round-trip time and the CPU Neo4j's process spent meanwhile
 * (from /proc) are added up per query, then printed on stderr as one JSON line when the process exits.
 * The analysis keeps at most one query in flight, so Neo4j's CPU between a query's start and its answer is that query's.
 *
 * Environment: ANALYZE_QUERY_CPU_PID (Neo4j's pid) and ANALYZE_QUERY_CPU_RUN (the side's src/db/run.ts).
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const pid = process.env.ANALYZE_QUERY_CPU_PID;
const runModule = process.env.ANALYZE_QUERY_CPU_RUN;

/** User + system CPU seconds of Neo4j's process so far (clock ticks of 10 ms). */
const neo4jCpu = () => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** A query's name: its first clauses, whitespace folded, enough to tell the analysis' queries apart. */
const nameOf = (query: string) => query.replace(/\s+/g, ' ').trim().slice(0, 70);

if (pid && runModule) {
  const totals = new Map<string, { calls: number; seconds: number; neo4jCpu: number }>();
  const { Cypher } = (await import(pathToFileURL(runModule).href)) as typeof import('../src/db/run.ts');
  for (const method of ['read', 'write'] as const) {
    const original = Cypher.prototype[method];
    Cypher.prototype[method] = async function (this: InstanceType<typeof Cypher>, query: string, params?: Record<string, unknown>) {
      const started = performance.now();
      const cpu = neo4jCpu();
      try {
        return await original.call(this, query, params);
      } finally {
        const total = totals.get(nameOf(query)) ?? { calls: 0, seconds: 0, neo4jCpu: 0 };
        total.calls += 1;
        total.seconds += (performance.now() - started) / 1000;
        total.neo4jCpu += neo4jCpu() - cpu;
        totals.set(nameOf(query), total);
      }
    } as typeof original;
  }
  process.on('exit', () => {
    const rows = [...totals].map(([query, t]) => ({ query, calls: t.calls, seconds: Number(t.seconds.toFixed(2)), neo4jCpu: Number(t.neo4jCpu.toFixed(2)) }));
    process.stderr.write(`analyze-query-cpu: ${JSON.stringify(rows)}\n`);
  });
}
