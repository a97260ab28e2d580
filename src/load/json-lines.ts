/**
 * Lines of a JSON Lines file, plain or gzip-compressed, read as a stream: memory holds one chunk and
 * the current line, whatever the file size. A line is checked as UTF-8 here, so a bad byte becomes an
 * error for that line (with its number) and the next line reads normally.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';

export interface SourceLine {
  file: string;
  /** From 1. */
  line: number;
  /** The line without its end (`\n` or `\r\n`), or null when it could not be read; then `error` says why. */
  text: string | null;
  /** The line's bytes, for hashing; empty when `text` is null. */
  bytes: Buffer;
  error: string | null;
}

/** Lines longer than this are reported and skipped, so one broken file cannot exhaust memory. */
export const defaultMaxLineBytes = 64 * 1024 * 1024;

const decoder = new TextDecoder('utf-8', { fatal: true });
const empty = Buffer.alloc(0);

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * Every line of `file`; gzip is recognised by its magic bytes, not the file name. Reading pauses
 * while the consumer is busy (the async iterator pulls one chunk at a time).
 */
export async function* readJsonLines(file: string, options: { maxLineBytes?: number } = {}): AsyncGenerator<SourceLine> {
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const stream = (await isGzip(file)) ? raw.pipe(createGunzip()) : raw;
  raw.on('error', (error) => stream.destroy(error));

  let line = 1;
  // The current line's pieces: a megabyte line arrives in many chunks, joined once at its end.
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let tooLong = false;

  const finish = (): SourceLine => {
    const number = line;
    line += 1;
    if (tooLong) {
      tooLong = false;
      return { file, line: number, text: null, bytes: empty, error: `the line is longer than ${maxLineBytes} bytes` };
    }
    let bytes = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, pieceBytes);
    pieces = [];
    pieceBytes = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1);
    if (number === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    try {
      return { file, line: number, text: decoder.decode(bytes), bytes, error: null };
    } catch {
      return { file, line: number, text: null, bytes: empty, error: 'the line is not valid UTF-8' };
    }
  };
  const keep = (piece: Buffer) => {
    if (tooLong || piece.length === 0) return;
    if (pieceBytes + piece.length > maxLineBytes) {
      tooLong = true;
      pieces = [];
      pieceBytes = 0;
      return;
    }
    // No copy: every chunk is a fresh buffer, and a piece pins its chunk only until the line ends.
    pieces.push(piece);
    pieceBytes += piece.length;
  };

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        keep(chunk.subarray(start, nl));
        yield finish();
        start = nl + 1;
      }
      if (start < chunk.length) keep(chunk.subarray(start));
    }
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'Z_BUF_ERROR' || (error as NodeJS.ErrnoException).code === 'Z_DATA_ERROR'
        ? 'the gzip data is truncated or corrupt; the rest of the file is not read'
        : `reading failed: ${error instanceof Error ? error.message : String(error)}`;
    yield { file, line, text: null, bytes: empty, error: reason };
    return;
  } finally {
    raw.destroy();
  }
  // The last line needs no newline.
  if (pieceBytes > 0 || tooLong) yield finish();
}
