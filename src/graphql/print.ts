import { printSchema } from 'graphql';
import { schema } from './schema.ts';

/** The SDL as committed in schema/schema.graphql. */
export function printPapergraphSchema(): string {
  return `${printSchema(schema)}\n`;
}
