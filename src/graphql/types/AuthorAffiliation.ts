import { affiliationLinksFragment, affiliationsOf, type AffiliationLink, type AuthorAffiliationRecord } from '../../db/queries/institutions.ts';
import { builder } from '../builder.ts';
import { readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
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

/** An author's institutions, in one year when asked. */
const institutionsOfAuthorRead: RelationRead<{ year?: number | null }> = {
  plan: (args) => ({
    fragment: affiliationLinksFragment,
    input: { year: args.year ?? null },
    value: (links: AffiliationLink[]) => affiliationsOf(links),
  }),
};

builder.objectField(Author, 'institutions', (t) =>
  t.field({
    type: [AuthorAffiliation],
    description: 'Institutions the author signed OpenAlex works from, most recent first; only those of one year when `year` is given.',
    args: { year: t.arg.int({ description: 'Only affiliations on works published this year.' }) },
    extensions: readsRelation(institutionsOfAuthorRead),
    resolve: relationLoader('Author', institutionsOfAuthorRead as RelationRead, () => []) as never,
  }),
);
