/**
 * A canonical dump of the whole graph: one line per node (labels, properties with their Cypher types)
 * and per relationship (type, properties, the uids at both ends), sorted. Two loads that should give
 * the same graph (the bulk and the transactional importer) must give equal dumps.
 */
import { createHash } from 'node:crypto';
import type { Cypher } from '../run.ts';

interface DumpRow {
  head: string;
  tail: string | null;
  props: Record<string, unknown>;
  types: [string, string][];
}

const nodesQuery = `
MATCH (n)
RETURN reduce(text = '', label IN labels(n) | text + ':' + label) AS head, null AS tail,
       properties(n) AS props, [k IN keys(n) | [k, valueType(n[k])]] AS types`;

// Venues, institutions and topics have no uid: their OpenAlex id names them.
const relationshipsQuery = `
MATCH (a)-[r]->(b)
RETURN coalesce(a.uid, a.openalexId) + ' -[' + type(r) AS head, coalesce(b.uid, b.openalexId) AS tail,
       properties(r) AS props, [k IN keys(r) | [k, valueType(r[k])]] AS types`;

/** Temporal values print as ISO text with their zone; everything else as JSON. */
const valueText = (value: unknown): string => (typeof value === 'object' && value !== null && !Array.isArray(value) ? String(value) : JSON.stringify(value));

function lineOf({ head, tail, props, types }: DumpRow): string {
  const properties = types
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, type]) => `${key}: ${type} = ${valueText(props[key])}`)
    .join(', ');
  return tail === null ? `${head} {${properties}}` : `${head} {${properties}}]-> ${tail}`;
}

export interface GraphDump {
  /** Sorted lines. */
  nodes: string[];
  relationships: string[];
  /** SHA-256 over all lines: equal digests, equal graphs. */
  digest: string;
}

export async function dumpGraph(cypher: Cypher): Promise<GraphDump> {
  const nodes = (await cypher.read<DumpRow>(nodesQuery)).map(lineOf).sort();
  const relationships = (await cypher.read<DumpRow>(relationshipsQuery)).map(lineOf).sort();
  const hash = createHash('sha256');
  for (const line of [...nodes, ...relationships]) hash.update(line).update('\n');
  return { nodes, relationships, digest: hash.digest('hex') };
}
