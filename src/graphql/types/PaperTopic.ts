import { topicsOfPaperFragment, type PaperTopicRecord } from '../../db/queries/topics.ts';
import { builder } from '../builder.ts';
import { readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
import { Paper } from './Paper.ts';
import { Topic } from './Topic.ts';

export const PaperTopic = builder.objectRef<PaperTopicRecord>('PaperTopic').implement({
  description: 'A topic of a paper, with how sure OpenAlex is of it.',
  fields: (t) => ({
    topic: t.field({ type: Topic, resolve: (entry) => entry.topic }),
    score: t.exposeFloat('score', { nullable: true, description: "OpenAlex's score of the topic for the work, 0 to 1." }),
  }),
});

/** A paper's topics: whole records, whatever is selected below them, so one load serves every path. */
const topicsOfPaperRead: RelationRead = {
  plan: () => ({ fragment: topicsOfPaperFragment, input: null, value: (topics: PaperTopicRecord[]) => topics, shared: true }),
};

builder.objectField(Paper, 'topics', (t) =>
  t.field({
    type: [PaperTopic],
    description: "The paper's OpenAlex topics (or, from older files, concepts), highest score first.",
    extensions: readsRelation(topicsOfPaperRead),
    resolve: relationLoader('Paper', topicsOfPaperRead, () => [], true) as never,
  }),
);
