import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One copy of graphql in every module graph, or schema building fails with "another module or realm".
// Node resolves the packages' own `import 'graphql'` to the CommonJS index.js (graphql 16 has no
// "exports" map); Vite would pick index.mjs for our files. Pin ours to the same file as Node's.
const graphqlEntry = fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url));

export default defineConfig({
  resolve: { alias: [{ find: /^graphql$/, replacement: graphqlEntry }] },
  test: {
    projects: [
      {
        extends: true,
        // The benchmarks' own unit tests live beside them.
        // No database, but some generate and parse real corpora: 5 s is too short on a busy machine.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'bench/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          // One shared Neo4j: files run one after another so each can own the database while it runs.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
