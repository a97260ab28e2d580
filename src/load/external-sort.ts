/**
 * Line files on disk, written and read back in order, and sorted by the system's `sort` (an external
 * merge sort in bounded memory), so that grouping millions of keys costs disk, not Node's memory.
 * Lines are sorted by their bytes (LC_ALL=C), which for the ASCII keys used here is JavaScript's own
 * string order, so sorted files can be merged against each other with `<`.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** Lines to a file, gathered into large writes: a write per line costs more than making the line. */
export class LineWriter {
  private readonly stream: WriteStream;
  private buffer = '';
  lines = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path);
  }

  write(line: string): Promise<void> | undefined {
    this.lines += 1;
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

export async function* readLines(file: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(file, { highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of lines) yield line;
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

/** Sorts `input` into `output` by bytes. */
export async function sortLines(input: string, output: string, options: SortOptions): Promise<void> {
  const args = ['-S', options.memory ?? '256M', '-T', options.tempDir, ...(options.unique ? ['-u'] : []), '-o', output, input];
  const child = spawn('sort', args, { env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const [code] = (await Promise.race([once(child, 'close'), once(child, 'error').then(([error]) => Promise.reject(error as Error))])) as [number | null];
  if (code !== 0) throw new Error(`sort ${input} failed (exit ${String(code)}): ${errors.trim()}`);
}
