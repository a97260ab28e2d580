import SchemaBuilder from '@pothos/core';
import DataloaderPlugin from '@pothos/plugin-dataloader';
import RelayPlugin from '@pothos/plugin-relay';
import type { Context } from './context.ts';

/** The SchemaBuilder, its plugins and options. Types live in ./types/, one file each. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    ID: { Input: string; Output: string };
    DateTime: { Input: Date; Output: string | Date };
  };
}>({
  plugins: [RelayPlugin, DataloaderPlugin],
  defaultFieldNullability: false,
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    nodeQueryOptions: { description: 'Fetches any object by its global ID; null when no object has it.' },
    nodesQueryOptions: { description: 'Fetches objects by global IDs, in the order given; null for unknown IDs.' },
  },
});

builder.queryType({ description: 'The root of every read: papers, authors, search and paths.' });
