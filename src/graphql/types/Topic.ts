import { entitiesByIds, type TopicRecord } from '../../db/queries/entities.ts';
import { builder } from '../builder.ts';
import { addEntityFields, addEntityQueries } from '../lib/entity-fields.ts';

export const Topic = builder.loadableNodeRef<TopicRecord>('Topic', {
  // The uid (its OpenAlex id), read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (topic) => topic.uid },
  load: (ids: string[], { cypher }) => entitiesByIds<TopicRecord>(cypher, 'Topic', ids) as Promise<TopicRecord[]>,
});

const TopicScheme = builder.enumType('TopicScheme', {
  description: "Which of OpenAlex's classifications a topic belongs to.",
  values: {
    TOPIC: { description: 'An OpenAlex topic (T…), placed in a subfield, field and domain.' },
    CONCEPT: { description: 'An OpenAlex concept (C…), the older classification, read from works without topics; it has a level.' },
  } as const,
});

Topic.implement({
  description: 'What papers are about: an OpenAlex topic, or in files older than topics a concept. Identified by its OpenAlex id (T… or C…).',
  fields: (t) => ({
    scheme: t.field({ type: TopicScheme, resolve: (topic) => (topic.openalexId.startsWith('C') ? 'CONCEPT' : 'TOPIC') }),
    subfield: t.exposeString('subfield', { nullable: true, description: 'Topics: the subfield it belongs to (e.g. Artificial Intelligence).' }),
    field: t.exposeString('field', { nullable: true, description: 'Topics: the field of that subfield (e.g. Computer Science).' }),
    domain: t.exposeString('domain', { nullable: true, description: 'Topics: the domain of that field (e.g. Physical Sciences).' }),
    level: t.exposeInt('level', { nullable: true, description: 'Concepts: 0 (broadest) to 5.' }),
  }),
});

addEntityFields(Topic, 'Topic', 'topic');
addEntityQueries(Topic, 'Topic', { one: 'topic', many: 'topics', noun: 'topic', example: 'T10181' });
