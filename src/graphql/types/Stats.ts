import { readGraphStats, type GraphStats } from '../../db/queries/stats.ts';
import { builder } from '../builder.ts';

export const Stats = builder.objectRef<GraphStats>('Stats').implement({
  description: 'Counts of what the graph holds, read from Neo4j.',
  fields: (t) => ({
    papers: t.exposeInt('papers', { description: 'Papers, including those known only as a related entry.' }),
    authors: t.exposeInt('authors'),
    authorships: t.exposeInt('authorships', { description: 'AUTHORED relationships (author → paper).' }),
    relatedEdges: t.exposeInt('relatedEdges', { description: 'RELATED_TO relationships (paper → similar paper).' }),
    citations: t.exposeInt('citations', { description: 'CITES relationships (paper → paper it cites), from imported OpenAlex works.' }),
    venues: t.exposeInt('venues', { description: 'Venues (OpenAlex sources: journals, conferences, repositories) that papers are published in.' }),
    institutions: t.exposeInt('institutions', { description: 'Institutions that authors were affiliated with on their OpenAlex works.' }),
    topics: t.exposeInt('topics', { description: 'OpenAlex topics (and, from older files, concepts) of papers.' }),
    nodes: t.exposeInt('nodes', { description: 'All nodes in the database.' }),
    relationships: t.exposeInt('relationships', { description: 'All relationships in the database.' }),
  }),
});

builder.queryField('stats', (t) =>
  t.field({
    type: Stats,
    description: 'Node and relationship counts of the whole graph.',
    resolve: (_root, _args, { cypher }) => readGraphStats(cypher),
  }),
);
