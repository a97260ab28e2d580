import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.ts';
import { printPapergraphSchema } from '../../src/graphql/print.ts';

describe('schema/schema.graphql', () => {
  it('is what the code builds (run `npm run schema` after changing a type)', async () => {
    const committed = await readFile(path.join(projectRoot, 'schema', 'schema.graphql'), 'utf8');
    expect(printPapergraphSchema()).toBe(committed);
  });
});
