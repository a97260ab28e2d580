/** The API bench's goals, tables and JSON record. */
import type { GraphStats } from '../../src/db/queries/stats.ts';
import type { Check } from './check.ts';
import type { Measured } from './drive.ts';
import type { OperationKind } from './operations.ts';

export const GOALS = {
  /** server/floor throughput, every operation. */
  minRatio: 0.6,
  /** server/floor throughput, point lookups. */
  minPointRatio: 0.8,
  /** p99 bounds (ms), judged at this concurrency and corpus size. */
  p99At: { concurrency: 16, pages: 20_000 },
  maxP99Ms: { point: 50, page: 50, graph: 200 } as Partial<Record<OperationKind, number>>,
  /** Point-lookup p50 at the largest growth size over the smallest. */
  maxPointGrowth: 1.3,
};

export interface OperationResult {
  name: string;
  description: string;
  kind: OperationKind;
  document: string;
  inputs: number;
  check: Check;
  server: Measured;
  floor: Measured;
  /** With --http-floor: the floor's Cypher behind plain node:http (bench/api/http-floor.ts). */
  httpFloor?: Measured;
  /** With --baseline: the server at another revision (bench/api/baseline.ts). */
  baseline?: Measured;
  ratio: number;
  /** Goals that apply to this row and whether each holds. */
  goals: { goal: string; met: boolean }[];
}

export interface SizeResult {
  pages: number;
  /** OpenAlex works imported on top of the pages. */
  works: number;
  graph: GraphStats;
  operations: OperationResult[];
  skipped: Record<string, string>;
}

const minRatioOf = (kind: OperationKind) => (kind === 'point' ? GOALS.minPointRatio : GOALS.minRatio);

export function judge(
  kind: OperationKind,
  server: Measured,
  floor: Measured,
  pages: number,
  concurrency: number,
): { ratio: number; goals: OperationResult['goals'] } {
  const ratio = server.throughput / floor.throughput;
  const minRatio = minRatioOf(kind);
  const goals = [{ goal: `server/floor ≥ ${minRatio}`, met: ratio >= minRatio }];
  const maxP99 = GOALS.maxP99Ms[kind];
  if (maxP99 !== undefined && pages === GOALS.p99At.pages && concurrency === GOALS.p99At.concurrency) {
    goals.push({ goal: `p99 < ${maxP99} ms`, met: server.p99 < maxP99 });
  }
  return { ratio, goals };
}

/** Point lookups' p50 at the largest size over the smallest, when both ran. */
export function growthGoals(sizes: SizeResult[]): { operation: string; from: number; to: number; growth: number; met: boolean }[] {
  if (sizes.length < 2) return [];
  const small = sizes.reduce((a, b) => (b.pages < a.pages ? b : a));
  const large = sizes.reduce((a, b) => (b.pages > a.pages ? b : a));
  return small.operations
    .filter((op) => op.kind === 'point')
    .flatMap((op) => {
      const other = large.operations.find((candidate) => candidate.name === op.name);
      if (!other) return [];
      const growth = other.server.p50 / op.server.p50;
      return [{ operation: op.name, from: small.pages, to: large.pages, growth, met: growth <= GOALS.maxPointGrowth }];
    });
}

/** A plain-text table: the first column (and the last, with `textLast`) left-aligned, numbers right-aligned. */
export function formatTable(header: string[], rows: string[][], textLast = false): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const left = (column: number) => column === 0 || (textLast && column === header.length - 1);
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (left(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((width) => '─'.repeat(width))), ...rows.map(format)].join('\n');
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function roundTripsText(check: Check): string {
  const min = Math.min(...check.roundTrips);
  const max = Math.max(...check.roundTrips);
  return min === max ? String(min) : `${min}-${max}`;
}

/** CPU a request costs: the server and Neo4j for the server side; Neo4j and the driver loop for the floor. */
export function cpuCost(side: Measured, parts: string[]): number {
  return parts.reduce((sum, part) => sum + (side.cpuMsPerRequest[part] ?? NaN), 0);
}

/** Every process of a side that a request costs CPU in: the HTTP server, Neo4j, the load generator. */
const httpSideProcesses = ['server', 'neo4j', 'client'];

export interface CpuBudget {
  /** Cores the side kept busy: throughput × its CPU per request. */
  serverCores: number;
  httpFloorCores: number;
  /** CPU per request of all processes above the HTTP floor's: GraphQL's cost in the server, in Neo4j and in the load generator (a larger response). */
  graphqlMs: number;
  /** The most graphqlMs may be for server/floor to reach the goal; ≤ 0 when plain HTTP alone misses it. */
  budgetMs: number;
  /** server/floor predicted from CPU alone (see cpuBudget), beside the measured ratio as its check. */
  predictedRatio: number;
}

/**
 * What the GraphQL layer may cost if the server is to reach its goal, when the machine's cores are the
 * limit. The server and the HTTP floor sit behind the same HTTP and load generator; where both keep the
 * same number of cores busy, each one's throughput is those cores over its CPU per request, so
 * server/floor = (HTTP floor/floor) × C_httpFloor / C_server. The goal g then allows
 * C_server ≤ C_httpFloor × (HTTP floor/floor) / g, and GraphQL the difference to C_httpFloor.
 */
export function cpuBudget(op: OperationResult): CpuBudget | undefined {
  if (!op.httpFloor) return undefined;
  const serverMs = cpuCost(op.server, httpSideProcesses);
  const httpFloorMs = cpuCost(op.httpFloor, httpSideProcesses);
  const httpRatio = op.httpFloor.throughput / op.floor.throughput;
  return {
    serverCores: (op.server.throughput * serverMs) / 1000,
    httpFloorCores: (op.httpFloor.throughput * httpFloorMs) / 1000,
    graphqlMs: serverMs - httpFloorMs,
    budgetMs: httpFloorMs * (httpRatio / minRatioOf(op.kind) - 1),
    predictedRatio: (httpRatio * httpFloorMs) / serverMs,
  };
}

export function budgetTable(size: SizeResult): string {
  const rows = size.operations.flatMap((op) => {
    const budget = cpuBudget(op);
    if (!budget) return [];
    return [
      [
        op.name,
        `${fixed(budget.serverCores, 2)} / ${fixed(budget.httpFloorCores, 2)}`,
        `${fixed(op.ratio, 2)}× / ${fixed(budget.predictedRatio, 2)}×`,
        fixed(budget.graphqlMs, 2),
        `${fixed(budget.budgetMs, 2)} (≥ ${minRatioOf(op.kind)}×)`,
      ],
    ];
  });
  return formatTable(['operation', 'cores busy: server / http floor', 'server/floor measured / from CPU', 'graphql cpu ms/req', 'budget ms/req at goal'], rows);
}

export function sizeTable(size: SizeResult): string {
  const withHttpFloor = size.operations.some((op) => op.httpFloor);
  const withBaseline = size.operations.some((op) => op.baseline);
  const rows = size.operations.map((op) => [
    op.name,
    op.kind,
    fixed(op.server.throughput, 0),
    fixed(op.server.p50, 1),
    fixed(op.server.p99, 1),
    roundTripsText(op.check),
    fixed(cpuCost(op.server, ['server', 'neo4j']), 2),
    fixed(op.floor.throughput, 0),
    fixed(op.floor.p50, 1),
    fixed(op.floor.p99, 1),
    fixed(cpuCost(op.floor, ['neo4j', 'client']), 2),
    `${fixed(op.ratio, 2)}×`,
    ...(withHttpFloor ? [op.httpFloor ? `${fixed(op.httpFloor.throughput / op.floor.throughput, 2)}×` : '-'] : []),
    ...(withBaseline ? [op.baseline ? `${fixed(op.server.throughput / op.baseline.throughput, 2)}×` : '-'] : []),
    op.goals.map((goal) => `${goal.met ? 'ok' : 'MISSED'} ${goal.goal}`).join('; '),
  ]);
  const header = [
    'operation',
    'kind',
    'req/s',
    'p50 ms',
    'p99 ms',
    'cypher/req',
    'cpu ms/req',
    'floor req/s',
    'p50 ms',
    'p99 ms',
    'cpu ms/req',
    'server/floor',
  ];
  if (withHttpFloor) header.push('http floor/floor');
  if (withBaseline) header.push('server/baseline');
  header.push('goals');
  for (const [name, why] of Object.entries(size.skipped)) rows.push([name, ...header.slice(1, -1).map(() => '-'), `skipped: ${why}`]);
  return formatTable(header, rows, true);
}

export function growthTable(sizes: SizeResult[]): string {
  const names = sizes[0]!.operations.map((op) => op.name);
  const rows = names.map((name) => {
    const cells = sizes.map((size) => size.operations.find((op) => op.name === name));
    const first = cells[0]?.server.p50 ?? NaN;
    const last = cells.at(-1)?.server.p50 ?? NaN;
    return [
      name,
      ...cells.map((op) => (op ? `${fixed(op.server.p50, 1)} / ${fixed(op.server.p99, 1)}` : '-')),
      `${fixed(last / first, 2)}×`,
      ...cells.map((op) => (op ? `${fixed(op.ratio, 2)}×` : '-')),
    ];
  });
  const pages = sizes.map((size) => size.pages.toLocaleString('en-US'));
  return formatTable(['operation', ...pages.map((p) => `p50/p99 ms @${p}`), 'p50 growth', ...pages.map((p) => `ratio @${p}`)], rows);
}
