import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';
import { maxPageSize } from './lib/connection.ts';
import { listCost } from './lib/cost.ts';
import { decodeGlobalId, encodeGlobalId } from './lib/global-id.ts';
import { checkRange } from './lib/limits.ts';

/** The SchemaBuilder, its plugins and options. Types live in ./types/, one file each. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  /** Connections count lazily: totalCount costs a query only when a client selects it. */
  Connection: { totalCount: number | (() => Promise<number>) };
  Scalars: {
    ID: { Input: string; Output: string };
    /** Output: epoch milliseconds (how paper instants leave Neo4j), an ISO string or a Date. */
    DateTime: { Input: Date; Output: number | string | Date };
  };
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    encodeGlobalID: encodeGlobalId,
    decodeGlobalID: decodeGlobalId,
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    nodeQueryOptions: { description: 'Fetches any object by its global ID; null when no object has it.' },
    nodesQueryOptions: {
      extensions: { complexity: listCost((args: { ids: readonly string[] }) => args.ids.length) },
      description: `Fetches objects by global IDs (at most ${maxPageSize}), in the order given; null for unknown IDs.`,
      resolve: (_root, { ids }, _context, _info, resolveNodes) => resolveNodes(ids.slice(0, checkRange('ids', ids.length, 0, maxPageSize))),
    },
  },
});

builder.queryType({ description: 'The root of every read: papers, authors, search and paths.' });

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: 'How many items the whole list holds, across all pages.',
    resolve: (connection) => (typeof connection.totalCount === 'function' ? connection.totalCount() : connection.totalCount),
  }),
);
