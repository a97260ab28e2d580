import { topicsOfPapers, type PaperTopicRecord } from '../../db/queries/topics.ts';
import { builder } from '../builder.ts';
import { Paper } from './Paper.ts';
import { Topic } from './Topic.ts';

export const PaperTopic = builder.objectRef<PaperTopicRecord>('PaperTopic').implement({
  description: 'A topic of a paper, with how sure OpenAlex is of it.',
  fields: (t) => ({
    topic: t.field({ type: Topic, resolve: (entry) => entry.topic }),
    score: t.exposeFloat('score', { nullable: true, description: "OpenAlex's score of the topic for the work, 0 to 1." }),
  }),
});

builder.objectField(Paper, 'topics', (t) =>
  t.loadableGroup({
    type: PaperTopic,
    description: "The paper's OpenAlex topics (or, from older files, concepts), highest score first.",
    load: (uids: string[], { cypher }) => topicsOfPapers(cypher, uids),
    group: (entry) => entry.paperUid,
    resolve: (paper) => paper.uid,
  }),
);
