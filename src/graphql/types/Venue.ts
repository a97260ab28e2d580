import { entitiesByIds, type VenueRecord } from '../../db/queries/entities.ts';
import { venueOfPaperFragment } from '../../db/queries/venues.ts';
import { builder } from '../builder.ts';
import { readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
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

/** A paper's venue: a whole record, whatever is selected below it, so one load serves every path. */
const venueOfPaperRead: RelationRead = {
  plan: () => ({ fragment: venueOfPaperFragment, input: null, value: (venue: VenueRecord | null) => venue ?? null, shared: true }),
};

builder.objectField(Paper, 'venue', (t) =>
  t.field({
    type: Venue,
    nullable: true,
    description:
      "The venue OpenAlex says the work is published in (its primary location's source); null when it names none with an id. Its name alone is venueName.",
    extensions: readsRelation(venueOfPaperRead),
    resolve: relationLoader('Paper', venueOfPaperRead, () => null, true) as never,
  }),
);
