// Prints the schema built by the code into schema/schema.graphql, the reviewed copy that is committed.
// `npm run schema` rewrites it; test/unit/schema.test.ts fails when the two drift apart.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../src/config.ts';
import { printPapergraphSchema } from '../src/graphql/print.ts';

const target = path.join(projectRoot, 'schema', 'schema.graphql');
await writeFile(target, printPapergraphSchema());
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
