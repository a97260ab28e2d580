/**
 * The bench's inputs, made once and cached:
 *  - the corpus: N synthetic page files from seed/generate.ts (a `.bench-corpus.json` marker, which
 *    the loader skips like every dotfile, says the directory is complete and what it holds);
 *  - the floor's input: the exact PageRow objects the loader writes for that corpus (same files in
 *    the same order, read, parsed and shaped by the loader's own readPageRow), as JSON Lines.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { generatePages } from '../seed/generate.ts';
import { listPageFiles, readPageRow } from '../seed/load.ts';

export interface Corpus {
  /** Absolute directory: the very string handed to the loader, so rows carry the same `source`. */
  dir: string;
  papers: number;
  seed: number;
  files: number;
  bytes: number;
  /** Changes whenever the corpus is (re)generated, so stale row files are never reused. */
  id: string;
}

export interface RowsFile {
  file: string;
  rows: number;
  bytes: number;
}

const MARKER = '.bench-corpus.json';
const say = (line: string) => process.stderr.write(`bench: ${line}\n`);

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function isEmptyOrMissing(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
}

/**
 * A complete corpus of `papers` pages for `seed` in `dir`, generated unless the marker says it is
 * already there. With `cached`, generation goes to a sibling temporary directory renamed at the end,
 * so an interrupted run never leaves a half corpus behind; `--out` directories are written in place
 * and must be empty (or hold exactly this corpus).
 */
export async function ensureCorpus(dir: string, papers: number, seed: number, cached: boolean): Promise<Corpus> {
  dir = path.resolve(dir);
  const marker = await readJson<Corpus>(path.join(dir, MARKER));
  if (marker && marker.papers === papers && marker.seed === seed) {
    say(`reusing the corpus in ${dir} (${papers} pages, seed ${seed}, ${(marker.bytes / 1048576).toFixed(0)} MiB)`);
    return { ...marker, dir };
  }
  let target = dir;
  if (cached) {
    await rm(dir, { recursive: true, force: true });
    target = `${dir}.tmp-${process.pid}`;
    await rm(target, { recursive: true, force: true });
  } else if (!(await isEmptyOrMissing(dir))) {
    throw new Error(
      marker
        ? `${dir} holds a corpus of ${marker.papers} pages for seed ${marker.seed}, not ${papers} for seed ${seed}; pick another --out`
        : `${dir} is not empty and holds no bench corpus; pick an empty or new --out directory`,
    );
  }
  await mkdir(target, { recursive: true });

  say(`generating ${papers} pages (seed ${seed}) into ${dir}…`);
  const started = Date.now();
  let last = started;
  let files = 0;
  let bytes = 0;
  for await (const page of generatePages({ papers, seed, out: target })) {
    files += 1;
    bytes += page.bytes;
    const now = Date.now();
    if (now - last >= 5000) {
      last = now;
      say(`  … ${files}/${papers} pages (${(bytes / 1048576).toFixed(0)} MiB)`);
    }
  }
  const corpus: Corpus = { dir, papers, seed, files, bytes, id: randomUUID() };
  await writeFile(path.join(target, MARKER), `${JSON.stringify(corpus, null, 2)}\n`);
  if (target !== dir) await rename(target, dir);
  say(`generated ${files} pages, ${(bytes / 1048576).toFixed(0)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return corpus;
}

interface RowsMeta {
  corpusDir: string;
  corpusId: string;
  rows: number;
  bytes: number;
}

/**
 * The rows the loader would write, one JSON object a line, computed by the loader's own
 * readPageRow over listPageFiles([corpus.dir]): the floor then pays JSON.parse and nothing else.
 * Any page that fails to parse is an error (the bench wants both runs to write every page).
 */
export async function ensureRows(corpus: Corpus, cacheDir: string): Promise<RowsFile> {
  const key = `${createHash('sha256').update(corpus.dir).digest('hex').slice(0, 12)}-${corpus.papers}-seed${corpus.seed}`;
  const file = path.join(cacheDir, `rows-${key}.jsonl`);
  const metaFile = `${file}.meta.json`;
  const meta = await readJson<RowsMeta>(metaFile);
  if (meta && meta.corpusDir === corpus.dir && meta.corpusId === corpus.id && meta.rows === corpus.files) {
    say(`reusing the floor's rows in ${path.relative(process.cwd(), file)} (${meta.rows} rows, ${(meta.bytes / 1048576).toFixed(0)} MiB)`);
    return { file, rows: meta.rows, bytes: meta.bytes };
  }

  await mkdir(cacheDir, { recursive: true });
  await rm(metaFile, { force: true });
  const tmp = `${file}.tmp-${process.pid}`;
  say(`preparing the floor's rows (parse + toPageRow of every page, once) into ${path.relative(process.cwd(), file)}…`);
  const started = Date.now();
  const out = createWriteStream(tmp);
  let rows = 0;
  let bytes = 0;
  const failures: string[] = [];
  try {
    for await (const source of listPageFiles([corpus.dir])) {
      const row = await readPageRow(source);
      if (!('sourceHash' in row)) {
        failures.push(row.message);
        continue;
      }
      const line = `${JSON.stringify(row)}\n`;
      rows += 1;
      bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
  } finally {
    out.end();
    await once(out, 'close');
  }
  if (failures.length > 0) {
    await rm(tmp, { force: true });
    throw new Error(`${failures.length} page(s) of the corpus do not parse, e.g. ${failures[0]}`);
  }
  await rename(tmp, file);
  const written: RowsMeta = { corpusDir: corpus.dir, corpusId: corpus.id, rows, bytes };
  await writeFile(metaFile, `${JSON.stringify(written, null, 2)}\n`);
  say(`prepared ${rows} rows, ${(bytes / 1048576).toFixed(0)} MiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { file, rows, bytes };
}
