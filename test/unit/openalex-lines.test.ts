import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJsonLines, type SourceLine } from '../../src/load/json-lines.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-lines-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function linesOf(name: string, content: Buffer | string, options: { maxLineBytes?: number } = {}): Promise<SourceLine[]> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  const lines: SourceLine[] = [];
  for await (const line of readJsonLines(file, options)) lines.push(line);
  return lines;
}

const summary = (lines: SourceLine[]) => lines.map(({ line, text, error }) => [line, text, error]);

describe('reading JSON Lines', () => {
  it('numbers lines from 1, keeps blank ones, drops \\r, a BOM and the missing last newline', async () => {
    const lines = await linesOf('plain.jsonl', '\ufeff{"a":1}\r\n\n{"b":2}');
    expect(summary(lines)).toEqual([
      [1, '{"a":1}', null],
      [2, '', null],
      [3, '{"b":2}', null],
    ]);
    expect(lines[0]!.bytes.toString('utf8')).toBe('{"a":1}');
  });

  it('reads gzip whatever the file is called', async () => {
    const lines = await linesOf('part_000', gzipSync('{"a":1}\n{"b":"é"}\n'));
    expect(summary(lines)).toEqual([
      [1, '{"a":1}', null],
      [2, '{"b":"é"}', null],
    ]);
  });

  it('reports a line that is not UTF-8 and reads on', async () => {
    const lines = await linesOf('bad.jsonl', Buffer.concat([Buffer.from('{"a":1}\n{"b":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n{"c":3}\n')]));
    expect(summary(lines)).toEqual([
      [1, '{"a":1}', null],
      [2, null, 'the line is not valid UTF-8'],
      [3, '{"c":3}', null],
    ]);
  });

  it('joins a line that spans many chunks, and skips one past the limit without keeping it', async () => {
    const long = `{"x":"${'y'.repeat(3 * 1024 * 1024)}"}`;
    const lines = await linesOf('long.jsonl', `${long}\n{"a":1}\n${'z'.repeat(5000)}\n{"b":2}\n`, { maxLineBytes: 4 * 1024 * 1024 });
    expect(lines.map((line) => line.text?.length ?? null)).toEqual([long.length, 7, 5000, 7]);
    const limited = await linesOf('limited.jsonl', `{"a":1}\n${'z'.repeat(5000)}\n{"b":2}`, { maxLineBytes: 1000 });
    expect(summary(limited)).toEqual([
      [1, '{"a":1}', null],
      [2, null, 'the line is longer than 1000 bytes'],
      [3, '{"b":2}', null],
    ]);
  });

  it('reports a truncated gzip file at the line where it breaks off', async () => {
    const full = gzipSync(Array.from({ length: 2000 }, (_, i) => `{"n":${i},"pad":"${'p'.repeat(50)}"}`).join('\n'));
    const lines = await linesOf('cut.gz', full.subarray(0, Math.floor(full.length / 2)));
    const last = lines.at(-1)!;
    expect(last.error).toMatch(/gzip data is truncated or corrupt/);
    expect(lines.slice(0, -1).every((line) => line.error === null)).toBe(true);
    expect(last.line).toBe(lines.length);
  });
});
