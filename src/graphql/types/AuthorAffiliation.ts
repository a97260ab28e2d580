import { institutionsOfAuthors, type AuthorAffiliationRecord } from '../../db/queries/institutions.ts';
import { builder } from '../builder.ts';
import { Author } from './Author.ts';
import { Institution } from './Institution.ts';

export const AuthorAffiliation = builder.objectRef<AuthorAffiliationRecord>('AuthorAffiliation').implement({
  description: 'An institution an author signed works from, and when.',
  fields: (t) => ({
    institution: t.field({ type: Institution, resolve: (entry) => entry.institution }),
    years: t.exposeIntList('years', { description: 'Publication years of those works, oldest first.' }),
    paperCount: t.int({ description: 'Works the author signed from it.', resolve: (entry) => entry.papers }),
  }),
});

builder.objectField(Author, 'institutions', (t) =>
  t.loadableGroup({
    type: AuthorAffiliation,
    description: 'Institutions the author signed OpenAlex works from, most recent first; only those of one year when `year` is given.',
    byPath: true,
    args: { year: t.arg.int({ description: 'Only affiliations on works published this year.' }) },
    load: (uids: string[], { cypher }, args) => institutionsOfAuthors(cypher, uids, args.year ?? null),
    group: (entry) => entry.authorUid,
    resolve: (author) => author.uid,
  }),
);
