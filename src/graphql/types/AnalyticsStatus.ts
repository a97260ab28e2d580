import { readAnalyticsStatus, type AnalyticsCounts, type AnalyticsStatusRecord } from '../../db/queries/analytics.ts';
import { builder } from '../builder.ts';
import { DateTime } from './DateTime.ts';
import { Stats } from './Stats.ts';

type Run = NonNullable<AnalyticsStatusRecord['run']>;
interface AnalyticsStatusShape extends Run {
  staleBecause: string | null;
}

const countNames: Record<keyof AnalyticsCounts, string> = {
  papers: 'papers',
  authors: 'authors',
  citations: 'citations',
  relatedEdges: 'related links',
  authorships: 'authorships',
};

/**
 * Why the last run no longer describes the graph: a loader recorded a change after it, or the graph's
 * counts moved (a load that recorded nothing, such as the server's first seed, or an edit by hand).
 */
function staleBecause(status: AnalyticsStatusRecord & { run: Run }): string | null {
  if (status.lastLoadAt !== null && status.lastLoadAt > status.run.ranAt) return 'the graph was loaded into after the analysis';
  const changed = (Object.keys(countNames) as (keyof AnalyticsCounts)[]).filter((key) => status.now[key] !== status.run[key]);
  return changed.length === 0 ? null : `the number of ${changed.map((key) => countNames[key]).join(', ')} changed since the analysis`;
}

const AnalyticsStatus = builder.objectRef<AnalyticsStatusShape>('AnalyticsStatus').implement({
  description: 'The last `npm run analyze`: when it ran, over what, and whether the graph changed since.',
  fields: (t) => ({
    ranAt: t.field({ type: DateTime, description: 'When the analysis started.', resolve: (status) => status.ranAt }),
    fresh: t.boolean({
      description: 'True when no load changed the graph since the analysis; false when its results are stale (run `npm run analyze`).',
      resolve: (status) => status.staleBecause === null,
    }),
    staleBecause: t.exposeString('staleBecause', { nullable: true, description: 'Why the results are stale; null when fresh.' }),
    durationMs: t.exposeInt('durationMs', { description: 'How long it took, reading and writing included.' }),
    papers: t.exposeInt('papers', { description: 'Papers analysed.' }),
    authors: t.exposeInt('authors', { description: 'Authors analysed.' }),
    citations: t.exposeInt('citations', { description: 'CITES relationships read.' }),
    relatedEdges: t.exposeInt('relatedEdges', { description: 'RELATED_TO relationships read.' }),
    influenceOver: t.exposeString('influenceOver', {
      description: 'What PageRank ran over: CITES, or RELATED_TO (weighted by score) in a graph without citations.',
    }),
    communities: t.exposeInt('communities', { description: 'Communities found (of two papers or more).' }),
    similarLinks: t.exposeInt('similarLinks', { description: 'SIMILAR_TO links written.' }),
  }),
});

builder.objectField(Stats, 'analytics', (t) =>
  t.field({
    type: AnalyticsStatus,
    nullable: true,
    description: 'The last graph analysis and whether it is fresh; null when the graph was never analysed.',
    resolve: async (_stats, _args, { cypher }) => {
      const status = await readAnalyticsStatus(cypher);
      return status.run === null ? null : { ...status.run, staleBecause: staleBecause({ ...status, run: status.run }) };
    },
  }),
);
