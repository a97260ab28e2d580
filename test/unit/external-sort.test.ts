import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cutByteRanges, LineWriter, readLines } from '../../src/load/external-sort.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-external-sort-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const collect = async (file: string) => {
  const lines: string[] = [];
  for await (const line of readLines(file)) lines.push(line);
  return lines;
};

describe('line files', () => {
  it('reads back lines longer than a read chunk, with multi-byte characters across chunk ends, and a last line without newline', async () => {
    const file = path.join(dir, 'lines.txt');
    // 3-byte characters so that some fall across the 1 MiB chunk boundaries.
    const long = 'é€'.repeat(700_000);
    await writeFile(file, `first\n${long}\n\nmiddle\t1\n${long}x\nlast`);
    expect(await collect(file)).toEqual(['first', long, '', 'middle\t1', `${long}x`, 'last']);
  });

  it('counts the UTF-8 bytes written, so that a line can be found again by its offset', async () => {
    const file = path.join(dir, 'counted.txt');
    const writer = new LineWriter(file);
    await writer.write('a');
    const at = writer.bytes;
    await writer.write('€uro');
    await writer.close();
    expect(at).toBe(2);
    expect(writer.bytes).toBe(Buffer.byteLength(await readFile(file, 'utf8')));
    expect((await readFile(file)).subarray(at).toString()).toBe('€uro\n');
  });

  it('cuts byte ranges out of a file, ranges across read chunks included', async () => {
    const file = path.join(dir, 'cut.bin');
    const size = 3 * (1 << 20) + 123;
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = i % 251;
    await writeFile(file, bytes);
    const ranges: [number, number][] = [
      [0, 10],
      [10, 20],
      [1000, (1 << 20) + 5],
      [2 * (1 << 20) - 1, 2 * (1 << 20) + 1],
      [size - 3, size],
    ];
    const rangesFile = path.join(dir, 'ranges.tsv');
    await writeFile(rangesFile, ranges.map(([a, b]) => `${a}\t${b}\n`).join(''));
    await cutByteRanges(file, rangesFile);
    const expected = Buffer.concat([bytes.subarray(20, 1000), bytes.subarray((1 << 20) + 5, 2 * (1 << 20) - 1), bytes.subarray(2 * (1 << 20) + 1, size - 3)]);
    expect((await readFile(file)).equals(expected)).toBe(true);
  });
});
