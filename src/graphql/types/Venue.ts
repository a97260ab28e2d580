import { entitiesByIds, type VenueRecord } from '../../db/queries/entities.ts';
import { venuesOfPapers } from '../../db/queries/venues.ts';
import { builder } from '../builder.ts';
import { addEntityFields, addEntityQueries } from '../lib/entity-fields.ts';
import { Paper } from './Paper.ts';

export const Venue = builder.loadableNodeRef<VenueRecord>('Venue', {
  // The uid (its OpenAlex id), read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (venue) => venue.uid },
  load: (ids: string[], { cypher }) => entitiesByIds<VenueRecord>(cypher, 'Venue', ids) as Promise<VenueRecord[]>,
});

Venue.implement({
  description:
    "Where papers are published: an OpenAlex source (journal, conference, repository, book series). Identified by its OpenAlex id (S…); an older file's venue id V… is the source of the same number.",
  fields: (t) => ({
    type: t.exposeString('type', { nullable: true, description: 'OpenAlex source type: journal, conference, repository, ebook platform, book series, other.' }),
    issnL: t.exposeString('issnL', { nullable: true, description: 'The linking ISSN, where the source has one.' }),
  }),
});

addEntityFields(Venue, 'Venue', 'venue');
addEntityQueries(Venue, 'Venue', { one: 'venue', many: 'venues', noun: 'venue', example: 'S4306400194' });

builder.objectField(Paper, 'venue', (t) =>
  t.loadable({
    type: Venue,
    nullable: true,
    description: "The venue OpenAlex says the work is published in (its primary location's source); null when it names none with an id.",
    load: (uids: string[], { cypher }) => venuesOfPapers(cypher, uids),
    resolve: (paper) => paper.uid,
  }),
);
