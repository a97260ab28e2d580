import { coauthorsFragment, type CoauthorRecord } from '../../db/queries/authors.ts';
import { builder } from '../builder.ts';
import { readsRelation, relationLoader, type RelationRead } from '../lib/compile.ts';
import { maxPageSize } from '../lib/connection.ts';
import { checkRange } from '../lib/limits.ts';
import { Author, defaultCoauthors } from './Author.ts';
import { Paper } from './Paper.ts';

export const Coauthor = builder.objectRef<CoauthorRecord>('Coauthor').implement({
  description: 'Someone who wrote at least one paper together with the author.',
  fields: (t) => ({
    author: t.field({ type: Author, resolve: (coauthor) => coauthor.coauthor }),
    sharedPaperCount: t.int({ description: 'Papers the two wrote together.', resolve: (coauthor) => coauthor.sharedPapers.length }),
    sharedPapers: t.field({ type: [Paper], description: 'Those papers, newest first.', resolve: (coauthor) => coauthor.sharedPapers }),
  }),
});

/** An author's co-authors with the papers they share (their properties only: relations under them load alone). */
const coauthorsRead: RelationRead<{ first?: number | null }> = {
  plan: (args, below) => {
    const limit = checkRange('first', args.first ?? defaultCoauthors, 0, maxPageSize);
    // A CALL block (see coauthorsFragment): folded only where the author is bound in a row of its own.
    if (!below.blocks) return null;
    return {
      fragment: coauthorsFragment,
      input: { limit, shared: below.properties('Paper', ['sharedPapers']) },
      value: (coauthors: CoauthorRecord[]) => coauthors,
    };
  },
};

builder.objectField(Author, 'coauthors', (t) =>
  t.field({
    type: [Coauthor],
    description: 'Co-authors, most shared papers first.',
    args: { first: t.arg.int({ defaultValue: defaultCoauthors, description: `At most ${maxPageSize}.` }) },
    extensions: readsRelation(coauthorsRead),
    resolve: relationLoader('Author', coauthorsRead, () => []) as never,
  }),
);
