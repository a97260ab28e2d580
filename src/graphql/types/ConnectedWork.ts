import { connectedWorksOfSet, type ConnectedWorkRecord, type SetCitationSide } from '../../db/queries/citation-map.ts';
import { rankedPaperKinds, type PaperKind as PaperKindName } from '../../db/queries/papers.ts';
import { builder } from '../builder.ts';
import type { Context } from '../context.ts';
import { maxPageSize } from '../lib/connection.ts';
import { listCost } from '../lib/cost.ts';
import { userError } from '../lib/errors.ts';
import { decodeGlobalId } from '../lib/global-id.ts';
import { checkRange } from '../lib/limits.ts';
import { Paper } from './Paper.ts';
import { PaperKind } from './PaperKind.ts';

/** Most papers a set may hold: about what the explorer draws at most. */
export const maxSetSize = 500;

const ConnectedWork = builder.objectRef<ConnectedWorkRecord>('ConnectedWork').implement({
  description: 'A paper outside a set of papers, and how many papers of the set it is linked to by citations (priorWorks, derivativeWorks).',
  fields: (t) => ({
    paper: t.field({ type: Paper, resolve: (work) => work.paper }),
    linkedCount: t.exposeInt('linked', {
      description: 'How many papers of the set cite it (priorWorks) or are cited by it (derivativeWorks).',
    }),
  }),
});

async function loadConnectedWorks(
  context: Context,
  side: SetCitationSide,
  args: { ids: readonly (string | number)[]; first?: number | null; kinds?: readonly PaperKindName[] | null },
) {
  if (args.ids.length > maxSetSize)
    throw userError('BAD_USER_INPUT', `ids must name at most ${maxSetSize} papers, got ${args.ids.length}`, { argument: 'ids' });
  const limit = checkRange('first', args.first ?? 10, 0, maxPageSize);
  // An author's ID names no paper of the set: left out, as an unknown paper's is (a malformed ID is an error).
  const uids = [
    ...new Set(
      args.ids
        .map((id) => decodeGlobalId(String(id)))
        .filter((id) => id.typename === 'Paper')
        .map((id) => id.id),
    ),
  ];
  if (uids.length === 0 || limit === 0) return [];
  return connectedWorksOfSet(context.cypher, uids, side, limit, args.kinds ?? null);
}

builder.queryFields((t) => {
  const args = {
    ids: t.arg.idList({
      required: true,
      description: `IDs of the papers of the set (at most ${maxSetSize}), e.g. the papers drawn in a map; IDs of authors or of no paper are left out.`,
    }),
    first: t.arg.int({ defaultValue: 10, description: `At most ${maxPageSize}.` }),
    kinds: t.arg({
      type: [PaperKind],
      defaultValue: [...rankedPaperKinds],
      description: 'Kinds of papers listed. By default no REFERENCE_STUB (a cited work known only by its OpenAlex id); null for every kind.',
    }),
  };
  // One query over the whole set: the cost grows with the papers listed.
  const complexity = listCost((given: { first?: number | null }) => given.first ?? 10);
  return {
    priorWorks: t.field({
      type: [ConnectedWork],
      description:
        "Prior works of a set of papers (as Connected Papers calls them): papers outside the set that most of its papers cite, most first (then most cited in this graph, then title). The set's foundations.",
      extensions: { complexity },
      args,
      resolve: (_root, given, context) => loadConnectedWorks(context, 'prior', given),
    }),
    derivativeWorks: t.field({
      type: [ConnectedWork],
      description:
        'Derivative works of a set of papers: papers outside the set that cite most of its papers, most first (then most cited in this graph, then title). What builds on the set.',
      extensions: { complexity },
      args,
      resolve: (_root, given, context) => loadConnectedWorks(context, 'derivative', given),
    }),
  };
});
