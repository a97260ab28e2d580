/** Topic reads of papers (the shared entity reads are in entities.ts). */
import { entityProjection, type TopicRecord } from './entities.ts';
import type { Fragment } from './selection.ts';

export interface PaperTopicRecord {
  topic: TopicRecord;
  score: number | null;
}

/** The topics of a bound paper, highest score first. Topic records are whole: no selection below them. */
export const topicsOfPaperFragment: Fragment<null> = {
  expression: (paper, _input, scope) => {
    const [r, t] = [scope.variable(), scope.variable()];
    return `COLLECT {
       MATCH (${paper})-[${r}:HAS_TOPIC]->(${t}:Topic)
       WITH ${r}, ${t} ORDER BY coalesce(${r}.score, -1.0) DESC, ${t}.openalexId
       RETURN { topic: ${entityProjection('Topic', t)}, score: ${r}.score }
     }`;
  },
};
