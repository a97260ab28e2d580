/**
 * Line files on disk, written and read back in order, and sorted by the system's `sort` (an external
 * merge sort in bounded memory), so that grouping millions of keys costs disk, not Node's memory.
 * Lines are sorted by their bytes (LC_ALL=C), which for the ASCII keys used here is JavaScript's own
 * string order, so sorted files can be merged against each other with `<`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename } from 'node:fs/promises';

/** Lines to a file, gathered into large writes: a write per line costs more than making the line. */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  lines = 0;
  /** Bytes written so far (UTF-8), where the next line begins. */
  bytes = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  write(line: string): Promise<void> | undefined {
    this.lines += 1;
    this.bytes += Buffer.byteLength(line) + 1;
    this.buffer += `${line}\n`;
    return this.buffer.length >= 1 << 20 ? this.flush() : undefined;
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    if (this.buffer) await this.flush();
    this.stream.end();
    await once(this.stream, 'close');
  }
}

/**
 * The lines of a file (split at `\n` only). Split by hand rather than with node:readline, whose
 * event-to-iterator plumbing costs more than the work done per line here.
 */
export async function* readLines(file: string): AsyncGenerator<string> {
  // The start of a line that spans chunks, joined once at its end.
  let pieces: string[] = [];
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    let nl = chunk.indexOf('\n');
    if (nl === -1) {
      pieces.push(chunk);
      continue;
    }
    pieces.push(chunk.slice(0, nl));
    yield pieces.length === 1 ? pieces[0]! : pieces.join('');
    pieces = [];
    let start = nl + 1;
    for (nl = chunk.indexOf('\n', start); nl !== -1; nl = chunk.indexOf('\n', start)) {
      yield chunk.slice(start, nl);
      start = nl + 1;
    }
    if (start < chunk.length) pieces.push(chunk.slice(start));
  }
  if (pieces.length > 0) yield pieces.join('');
}

/**
 * Removes byte ranges from a file, in place: `ranges` is a file of `start\tend` lines (end
 * exclusive), ascending and not overlapping. Lets rows already written be taken out again without
 * reading them as rows (a CSV row may span lines).
 */
export async function cutByteRanges(file: string, ranges: string): Promise<void> {
  const cuts = readLines(ranges);
  const nextCut = async (): Promise<[number, number] | undefined> => {
    const next = await cuts.next();
    if (next.done) return undefined;
    const [start = '', end = ''] = next.value.split('\t');
    return [Number(start), Number(end)];
  };
  let cut = await nextCut();
  const out = createWriteStream(`${file}.cut`);
  let position = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const chunkEnd = position + chunk.length;
    let from = 0;
    while (cut && cut[0] < chunkEnd) {
      const keepEnd = Math.max(cut[0] - position, from);
      if (keepEnd > from && !out.write(chunk.subarray(from, keepEnd))) await once(out, 'drain');
      if (cut[1] > chunkEnd) {
        from = chunk.length;
        break;
      }
      from = Math.max(from, cut[1] - position);
      cut = await nextCut();
    }
    if (from < chunk.length && !out.write(chunk.subarray(from))) await once(out, 'drain');
    position = chunkEnd;
  }
  out.end();
  await once(out, 'close');
  await rename(`${file}.cut`, file);
}

/** A sorted file read one line at a time, for merging: `current` is the next line, undefined at the end. */
export class LineCursor {
  current: string | undefined;
  private constructor(private readonly lines: AsyncGenerator<string>) {}

  static async open(file: string): Promise<LineCursor> {
    const cursor = new LineCursor(readLines(file));
    await cursor.advance();
    return cursor;
  }

  async advance(): Promise<void> {
    const next = await this.lines.next();
    this.current = next.done ? undefined : next.value;
  }

  /** Skips lines whose key (text before the first tab) sorts before `key`; returns the line with that key, if any. */
  async seek(key: string): Promise<string | undefined> {
    while (this.current !== undefined && keyOf(this.current) < key) await this.advance();
    return this.current !== undefined && keyOf(this.current) === key ? this.current : undefined;
  }
}

export const keyOf = (line: string): string => {
  const tab = line.indexOf('\t');
  return tab < 0 ? line : line.slice(0, tab);
};

export interface SortOptions {
  /** Directory for sort's own temporary files. */
  tempDir: string;
  /** Drop repeated lines. */
  unique?: boolean;
  /** sort's buffer (`-S`), e.g. 256M. */
  memory?: string;
}

/** Sorts the lines of `input` (one file or several) into `output` by bytes. */
export async function sortLines(input: string | string[], output: string, options: SortOptions): Promise<void> {
  const inputs = typeof input === 'string' ? [input] : input;
  const args = ['-S', options.memory ?? '256M', '-T', options.tempDir, ...(options.unique ? ['-u'] : []), '-o', output, '--', ...inputs];
  const child = spawn('sort', args, { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const [code] = (await Promise.race([once(child, 'close'), once(child, 'error').then(([error]) => Promise.reject(error as Error))])) as [number | null];
  if (code !== 0) throw new Error(`sort ${inputs.join(' ')} failed (exit ${String(code)}): ${errors.trim()}`);
}
