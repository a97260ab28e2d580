import type { Database } from '../../src/db/driver.ts';
import { Cypher } from '../../src/db/run.ts';

/**
 * The whole graph as sorted lines of text, uids included (they derive from the merge keys): two loads
 * that should give "the same graph" must give equal fingerprints.
 */
export async function graphFingerprint(database: Database): Promise<string[]> {
  const cypher = new Cypher(database);
  const nodes = await cypher.read<{ labels: string[]; props: Record<string, unknown> }>('MATCH (n) RETURN labels(n) AS labels, properties(n) AS props');
  const relationships = await cypher.read<{ type: string; props: Record<string, unknown>; from: string; to: string }>(
    `MATCH (a)-[r]->(b)
     RETURN type(r) AS type, properties(r) AS props, coalesce(a.titleKey, a.key, a.openalexId) AS from, coalesce(b.titleKey, b.key, b.openalexId) AS to`,
  );
  const lines = [
    ...nodes.map(({ labels, props }) => `${labels.join(':')} ${stableJson(props)}`),
    ...relationships.map(({ type, props, from, to }) => `${from} -[${type} ${stableJson(props)}]-> ${to}`),
  ];
  return lines.sort();
}

function stableJson(value: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b))));
}
