import type { YearCountRecord } from '../../db/queries/entities.ts';
import { builder } from '../builder.ts';

export const YearCount = builder.objectRef<YearCountRecord>('YearCount').implement({
  description: "One year of a venue's, institution's or topic's trend: a point a client can plot.",
  fields: (t) => ({
    year: t.exposeInt('year'),
    papers: t.exposeInt('papers', { description: 'Its papers published that year.' }),
    citations: t.exposeInt('citations', { description: 'Citations its papers received from papers (in this graph) published that year.' }),
  }),
});
