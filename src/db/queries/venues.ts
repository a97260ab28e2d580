/** Venue reads of papers (the shared entity reads are in entities.ts). */
import { entityProjection } from './entities.ts';
import type { Fragment } from './selection.ts';

/** The venue of a bound paper, or null for a paper without one. Venue records are whole: no selection below them. */
export const venueOfPaperFragment: Fragment<null> = {
  expression: (paper, _input, scope) => {
    const v = scope.variable();
    return `head(COLLECT { MATCH (${paper})-[:PUBLISHED_IN]->(${v}:Venue) RETURN ${entityProjection('Venue', v)} })`;
  },
};
