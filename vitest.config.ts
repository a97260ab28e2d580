import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// One copy of graphql in every module graph, or schema building fails with "another module or realm".
const graphqlEntry = fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url));

export default defineConfig({
  resolve: { alias: { graphql: graphqlEntry.replace(/index\.js$/, '') } },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'] },
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
