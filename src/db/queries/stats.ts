import type { Cypher } from '../run.ts';

export interface GraphStats {
  papers: number;
  authors: number;
  authorships: number;
  relatedEdges: number;
  citations: number;
  venues: number;
  institutions: number;
  topics: number;
  nodes: number;
  relationships: number;
}

// Each count is answered from Neo4j's count store: constant time whatever the size of the graph.
const graphStatsQuery = `
CALL () { MATCH (p:Paper) RETURN count(p) AS papers }
CALL () { MATCH (a:Author) RETURN count(a) AS authors }
CALL () { MATCH ()-[r:AUTHORED]->() RETURN count(r) AS authorships }
CALL () { MATCH ()-[r:RELATED_TO]->() RETURN count(r) AS relatedEdges }
CALL () { MATCH ()-[r:CITES]->() RETURN count(r) AS citations }
CALL () { MATCH (v:Venue) RETURN count(v) AS venues }
CALL () { MATCH (i:Institution) RETURN count(i) AS institutions }
CALL () { MATCH (t:Topic) RETURN count(t) AS topics }
CALL () { MATCH (n) RETURN count(n) AS nodes }
CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN papers, authors, authorships, relatedEdges, citations, venues, institutions, topics, nodes, relationships`;

export async function readGraphStats(cypher: Cypher): Promise<GraphStats> {
  const [row] = await cypher.read<GraphStats>(graphStatsQuery);
  if (!row) throw new Error('the stats query returned no row');
  return row;
}
