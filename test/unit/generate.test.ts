import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_NAMES, LAST_NAMES, generatePages, pageTexts, syntheticPaper } from '../../seed/generate.ts';
import { authorKey, titleKey } from '../../src/domain/keys.ts';
import { decodeLatexAccents } from '../../src/domain/latex.ts';
import { parsePage, type ParsedPage } from '../../src/load/page-parser.ts';

const PAPERS = 50;
const SEED = 42;
const PER_DIR = 20;

let root: string;
let dirA: string;
let written: { path: string; file: string; arxivId: string; title: string; bytes: number }[];
let files: string[]; // relative paths, sorted
let raw: Map<string, Buffer>;
let pages: Map<string, ParsedPage>;

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

async function drain(out: string, seed: number) {
  const rows = [];
  for await (const row of generatePages({ papers: PAPERS, out, seed, perDir: PER_DIR })) rows.push(row);
  return rows;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'papergraph-generate-'));
  dirA = join(root, 'a');
  written = await drain(dirA, SEED);
  files = await listFiles(dirA);
  raw = new Map();
  pages = new Map();
  for (const f of files) {
    const bytes = await readFile(join(dirA, f));
    raw.set(f, bytes);
    pages.set(f, parsePage(bytes, f));
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('generatePages', () => {
  it(`writes ${PAPERS} files, ${PER_DIR} per subdirectory, and yields one row per file in order`, () => {
    expect(files).toHaveLength(PAPERS);
    expect(written.map((w) => w.path)).toEqual(files);
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(['0000', '0001', '0002']));
    expect(files.filter((f) => f.startsWith('0000/'))).toHaveLength(PER_DIR);
    for (const w of written) {
      expect(w.file).toBe(join(dirA, w.path));
      expect(w.bytes).toBe(raw.get(w.path)?.length);
      expect(w.path).toMatch(/^\d{4}\/\d{7}_\d{4}\.\d{5}\.txt$/);
    }
  });

  it('every page parses, with the arXiv id and title the generator reported', () => {
    for (const w of written) {
      const page = pages.get(w.path) as ParsedPage;
      expect(page.arxivId).toBe(w.arxivId);
      expect(page.title).toBe(w.title);
      expect(page.url).toMatch(/^http:\/\/arxiv\.org\/abs\/\d{4}\.\d{5}v[123]$/);
      expect(page.publishedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);
      expect(page.siteUpdatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$/);
      expect(page.siteUpdatedAt! > page.publishedAt!).toBe(true);
      expect(page.score).toEqual(expect.any(Number));
      expect(page.authors.length).toBeGreaterThanOrEqual(1);
      expect(page.authors.length).toBeLessThanOrEqual(8);
      expect(page.summaryJa).toBeTruthy();
      expect(page.abstract).toBeTruthy();
      expect(page.abstractJa).toBeTruthy();
    }
  });

  it('arXiv ids and title keys are unique', () => {
    const all = [...pages.values()];
    expect(new Set(all.map((p) => p.arxivId)).size).toBe(PAPERS);
    expect(new Set(all.map((p) => titleKey(p.title))).size).toBe(PAPERS);
  });

  it('has 5–10 related entries per page, each resolving (by title key) to ANOTHER generated paper with its date', () => {
    const byKey = new Map([...pages.values()].map((p) => [titleKey(p.title), p]));
    let swallowed = 0;
    let zeros = 0;
    for (const page of pages.values()) {
      expect(page.related.length).toBeGreaterThanOrEqual(5);
      expect(page.related.length).toBeLessThanOrEqual(10);
      const targets = new Set<string>();
      for (const r of page.related) {
        const target = byKey.get(titleKey(r.title));
        expect(target, r.title).toBeDefined();
        expect(target).not.toBe(page);
        targets.add(target!.arxivId!);
        expect(r.publishedAt).toBe(target!.publishedAt);
        expect(r.summaryJa.length).toBeGreaterThan(0);
        if (r.title !== target!.title) swallowed++;
        if (r.score === 0) zeros++;
      }
      expect(targets.size).toBe(page.related.length);
    }
    expect(swallowed).toBeGreaterThan(0); // some titles lost a space, as on the real site
    expect(zeros).toBeGreaterThan(0); // some related scores are 0.0
  });

  it('writes the format quirks of the real site', () => {
    const texts = [...raw.values()].map((b) => b.toString('utf8'));
    // no newline after the last (footer) line
    for (const t of texts) expect(t.endsWith('\n')).toBe(false);
    // LaTeX-accented authors, author lists with a trailing comma, wrapped titles and abstracts, zero scores, empty licences
    expect(texts.some((t) => /^- Authors: .*\\/m.test(t))).toBe(true);
    expect(texts.some((t) => /^- Authors: .*,$/m.test(t))).toBe(true);
    expect(texts.some((t) => /^論文の概要: .*\n(?!- )/m.test(t))).toBe(true);
    expect(texts.some((t) => /^- Abstract: .*\n(?!- )/m.test(t))).toBe(true);
    expect(texts.some((t) => / \[0\.0\]$/m.test(t))).toBe(true);
    expect(texts.some((t) => /^- License:$/m.test(t))).toBe(true);
    expect(texts.some((t) => /^- License: http/m.test(t))).toBe(true);
  });

  it('decoded author names carry no LaTeX and are NFC; authors are shared across papers with a skewed distribution', () => {
    const counts = new Map<string, number>();
    for (const page of pages.values()) {
      for (const a of page.authors) {
        expect(a).not.toContain('\\');
        expect(a).not.toMatch(/[{}]/);
        expect(a).toBe(a.normalize('NFC'));
        counts.set(authorKey(a), (counts.get(authorKey(a)) ?? 0) + 1);
      }
      expect(new Set(page.authors.map(authorKey)).size).toBe(page.authors.length);
    }
    const sorted = [...counts.values()].sort((a, b) => b - a);
    const authorships = sorted.reduce((a, b) => a + b, 0);
    expect(sorted.length).toBeLessThan(authorships / 2); // authors are shared
    expect(sorted[0]).toBeGreaterThanOrEqual(5); // a prolific head …
    expect(sorted[0]).toBeGreaterThanOrEqual(3 * sorted[Math.floor(sorted.length / 2)]!); // … well above the median
    expect(sorted.filter((c) => c === 1).length).toBeGreaterThan(sorted.length / 5); // … and a tail of one-paper authors
  });

  it('every LaTeX spelling of a name part decodes to its Unicode form', () => {
    for (const part of [...FIRST_NAMES, ...LAST_NAMES]) {
      for (const tex of part.tex ?? []) expect(decodeLatexAccents(tex), tex).toBe(part.u);
    }
  });

  it('is deterministic: the same seed gives identical bytes, another seed differs', async () => {
    const dirB = join(root, 'b');
    await drain(dirB, SEED);
    expect(await listFiles(dirB)).toEqual(files);
    for (const f of files) expect((await readFile(join(dirB, f))).equals(raw.get(f)!), f).toBe(true);

    const dirC = join(root, 'c');
    await drain(dirC, SEED + 1);
    const other = await listFiles(dirC);
    expect(other).toHaveLength(PAPERS);
    expect(other).not.toEqual(files);
  });

  it('pageTexts yields the same text that is written; syntheticPaper gives a paper without rendering', () => {
    const texts = [...pageTexts({ papers: PAPERS, seed: SEED, perDir: PER_DIR })];
    expect(texts.map((t) => t.path)).toEqual(files);
    for (const t of texts) expect(Buffer.from(t.text, 'utf8').equals(raw.get(t.path)!)).toBe(true);
    const meta = syntheticPaper(SEED, PAPERS, 7);
    expect(meta.title).toBe(texts[7]!.title);
    expect(meta.arxivId).toBe(texts[7]!.arxivId);
  });

  it('rejects a non-positive paper count', () => {
    expect(() => [...pageTexts({ papers: 0 })]).toThrow('--papers must be a positive integer');
  });
});
