import { coauthorsOfAuthors, type CoauthorRecord } from '../../db/queries/authors.ts';
import { builder } from '../builder.ts';
import { maxPageSize } from '../lib/connection.ts';
import { groupByKeys } from '../lib/group.ts';
import { checkRange } from '../lib/limits.ts';
import { fieldSlot, loadWithPrefetched } from '../lib/prefetch.ts';
import { Author, defaultCoauthors } from './Author.ts';
import { selectedFields } from '../lib/lookahead.ts';
import { Paper, paperPropertiesFor } from './Paper.ts';

export const Coauthor = builder.objectRef<CoauthorRecord>('Coauthor').implement({
  description: 'Someone who wrote at least one paper together with the author.',
  fields: (t) => ({
    author: t.field({ type: Author, resolve: (coauthor) => coauthor.coauthor }),
    sharedPaperCount: t.int({ description: 'Papers the two wrote together.', resolve: (coauthor) => coauthor.sharedPapers.length }),
    sharedPapers: t.field({ type: [Paper], description: 'Those papers, newest first.', resolve: (coauthor) => coauthor.sharedPapers }),
  }),
});

builder.objectField(Author, 'coauthors', (t) =>
  t.loadableList({
    type: Coauthor,
    description: 'Co-authors, most shared papers first.',
    byPath: true,
    args: { first: t.arg.int({ defaultValue: defaultCoauthors, description: `At most ${maxPageSize}.` }) },
    load: async (uids: string[], context, args, info) => {
      const first = checkRange('first', args.first ?? defaultCoauthors, 0, maxPageSize);
      const properties = paperPropertiesFor(selectedFields(info, ['sharedPapers']));
      return loadWithPrefetched(context, fieldSlot(info), uids, async (missing) =>
        groupByKeys(missing, await coauthorsOfAuthors(context.cypher, missing, first, properties), (row) => row.authorUid),
      );
    },
    resolve: (author) => author.uid,
  }),
);
