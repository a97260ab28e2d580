import { searchPapers, type SearchHitRecord } from '../../db/queries/search.ts';
import { builder } from '../builder.ts';
import { maxPageSize } from '../lib/connection.ts';
import { userError } from '../lib/errors.ts';
import { checkRange } from '../lib/limits.ts';
import { selectionBelow } from '../lib/compile.ts';
import { Paper } from './Paper.ts';

const SearchLanguage = builder.enumType('SearchLanguage', {
  values: {
    EN: { description: 'English title and abstract.' },
    JA: { description: 'Japanese title, summary and abstract.' },
    ANY: { description: 'Both, merged into one ranking.' },
  } as const,
});

const SearchField = builder.enumType('SearchField', {
  description: 'A field of a paper that full-text search looks in.',
  values: {
    TITLE: { description: 'English title.' },
    ABSTRACT: { description: 'English abstract.' },
    TITLE_JA: { description: 'Japanese title.' },
    SUMMARY_JA: { description: 'Japanese summary.' },
    ABSTRACT_JA: { description: 'Japanese abstract.' },
  } as const,
});

const SearchHit = builder.objectRef<SearchHitRecord>('SearchHit').implement({
  description: 'A paper that matched a search, with how well and where.',
  fields: (t) => ({
    paper: t.field({ type: Paper, resolve: (hit) => hit.paper }),
    score: t.float({
      description:
        "Relevance from 0 to 1: the best matching field's score, scaled to the best hit of that field and weighted (titles 1, Japanese summary 0.8, abstracts 0.6).",
      resolve: (hit) => hit.relevance,
    }),
    matchedFields: t.field({ type: [SearchField], description: 'Every field that matched, best first.', resolve: (hit) => hit.fields }),
  }),
});

export const maxSearchLength = 200;

builder.queryField('search', (t) =>
  t.field({
    type: [SearchHit],
    description: 'Full-text search over titles, summaries and abstracts in English and Japanese. The text is matched literally (no query syntax).',
    args: {
      query: t.arg.string({ required: true }),
      language: t.arg({ type: SearchLanguage, defaultValue: 'ANY' }),
      first: t.arg.int({ defaultValue: 10, description: `At most ${maxPageSize}.` }),
    },
    resolve: (_root, args, { cypher }, info) => {
      const text = args.query.trim();
      if (text === '') throw userError('BAD_USER_INPUT', 'query must not be empty');
      if (text.length > maxSearchLength) throw userError('BAD_USER_INPUT', `query must be at most ${maxSearchLength} characters`);
      const first = checkRange('first', args.first ?? 10, 1, maxPageSize);
      return searchPapers(cypher, text, args.language ?? 'ANY', first, selectionBelow(info).properties('Paper', ['paper']).properties);
    },
  }),
);
