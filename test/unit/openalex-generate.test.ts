import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticPaper } from '../../seed/generate.ts';
import { generateWorks, syntheticWorkLine } from '../../seed/openalex/generate.ts';
import { readJsonLines } from '../../src/load/json-lines.ts';
import { listWorkFiles, workRowOfLine } from '../../src/load/openalex.ts';
import type { WorkRow } from '../../src/load/openalex-work.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-openalex-generate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the OpenAlex works generator', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(syntheticWorkLine({ works: 500, seed: 3 }, 42)).toBe(syntheticWorkLine({ works: 500, seed: 3 }, 42));
    expect(syntheticWorkLine({ works: 500, seed: 4 }, 42)).not.toBe(syntheticWorkLine({ works: 500, seed: 3 }, 42));
  });

  it("writes gzip part files of valid works describing the page generator's papers", async () => {
    const out = path.join(dir, 'works');
    const files = [];
    for await (const written of generateWorks({ works: 2500, seed: 7, out, perFile: 1000 })) files.push(written);
    expect(files.map((file) => [path.basename(file.file), file.works])).toEqual([
      ['part_000.gz', 1000],
      ['part_001.gz', 1000],
      ['part_002.gz', 500],
    ]);
    expect((await readdir(out)).sort()).toEqual(['part_000.gz', 'part_001.gz', 'part_002.gz']);

    const rows: WorkRow[] = [];
    for await (const file of listWorkFiles([out])) {
      for await (const line of readJsonLines(file)) {
        const row = workRowOfLine(line);
        if (!('hash' in row)) throw new Error(row.message);
        rows.push(row);
      }
    }
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((row) => row.openalexId)).size).toBe(2500);
    expect(rows[17]!.title).toBe(syntheticPaper(7, 2500, 17).title);
    const references = rows.reduce((sum, row) => sum + row.references.length, 0) / rows.length;
    expect(references).toBeGreaterThan(8);
    expect(references).toBeLessThan(11);
    const withArxiv = rows.filter((row) => row.arxivId !== null);
    expect(withArxiv.length / rows.length).toBeGreaterThan(0.5);
    for (const row of withArxiv.slice(0, 50)) {
      const index = Number(row.openalexId.slice(1)) - 4_000_000_000;
      expect(row.arxivId).toBe(syntheticPaper(7, 2500, index).arxivId);
    }
    // Both layouts, and authors that share a name under different OpenAlex ids.
    const lines = Array.from({ length: 200 }, (_, i) => JSON.parse(syntheticWorkLine({ works: 2500, seed: 7 }, i)) as Record<string, unknown>);
    expect(lines.some((work) => 'host_venue' in work)).toBe(true);
    expect(lines.some((work) => 'primary_location' in work)).toBe(true);
    const idsByName = new Map<string, Set<string>>();
    for (const row of rows)
      for (const author of row.authors) (idsByName.get(author.name) ?? idsByName.set(author.name, new Set()).get(author.name)!).add(author.openalexId);
    expect([...idsByName.values()].some((ids) => ids.size > 1)).toBe(true);
  });
});
