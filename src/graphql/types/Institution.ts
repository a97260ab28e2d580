import { entitiesByIds, type InstitutionRecord } from '../../db/queries/entities.ts';
import { builder } from '../builder.ts';
import { addEntityFields, addEntityQueries } from '../lib/entity-fields.ts';

export const Institution = builder.loadableNodeRef<InstitutionRecord>('Institution', {
  // The uid (its OpenAlex id), read at once by src/graphql/schema.ts, which writes Node ids without Pothos' await.
  id: { resolve: (institution) => institution.uid },
  load: (ids: string[], { cypher }) => entitiesByIds<InstitutionRecord>(cypher, 'Institution', ids) as Promise<InstitutionRecord[]>,
});

Institution.implement({
  description:
    "An institution authors sign works from (OpenAlex authorships' institutions). Identified by its OpenAlex id (I…): two institutions of one name are two institutions.",
  fields: (t) => ({
    country: t.exposeString('country', { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' }),
    type: t.exposeString('type', { nullable: true, description: 'OpenAlex institution type: education, company, government, facility, …' }),
    ror: t.exposeString('ror', { nullable: true, description: 'ROR id, without https://ror.org/.' }),
  }),
});

addEntityFields(Institution, 'Institution', 'institution');
addEntityQueries(Institution, 'Institution', { one: 'institution', many: 'institutions', noun: 'institution', example: 'I136199984' });
