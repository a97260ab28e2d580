/**
 * Synthetic OpenAlex works for scale tests: N work objects as JSON Lines (plain or gzip, one file or
 * a directory of part files, like a works snapshot), deterministic for a given seed, written as a
 * stream in constant memory.
 *
 *   npx tsx seed/openalex/generate.ts --works 200000 --out /tmp/works [--seed 1] [--per-file 100000]
 *   npx tsx seed/openalex/generate.ts --works 1000 --out /tmp/works.jsonl.gz
 *
 * Work i has the title, arXiv id and date of paper i of seed/generate.ts's corpus for the same seed
 * and N, so generated pages and generated works describe the same papers. Each work cites about ten
 * others (a skewed choice, so a few are cited very often; one in ten citations goes to a work outside
 * the files, which becomes a stub), has a few OpenAlex-related works, one to eight authors from a
 * skewed pool identified by OpenAlex id (pool members may share a display name), an abstract as an
 * inverted index most of the time, and the older layout (`host_venue`) one time in five. Its venue is one
 * of a few sources (by OpenAlex id; `V…` in the older layout), its authorships' institutions come from
 * a pool of 500, and it has one to three topics from a pool of 300 (concepts in the older layout).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../../src/random.ts';
import { FIRST_NAMES, LAST_NAMES, hash32, syntheticPaper } from '../generate.ts';

/** Generated ids sit in their own ranges, far from the fixture's and from each other. */
const WORK_BASE = 4_000_000_000;
const OUTSIDE_BASE = 5_000_000_000;
const AUTHOR_BASE = 6_000_000_000;
const SOURCE_BASE = 7_000_000_000;
const TOPIC_BASE = 8_000_000_000;
/** Topics (concepts in the older layout) are drawn from this many, one to three a work. */
const TOPIC_POOL = 300;

const WORDS = [
  'we',
  'propose',
  'a',
  'method',
  'for',
  'learning',
  'models',
  'that',
  'scale',
  'with',
  'data',
  'and',
  'compute',
  'our',
  'results',
  'show',
  'improvements',
  'on',
  'several',
  'benchmarks',
  'the',
  'approach',
  'is',
  'simple',
  'efficient',
  'robust',
  'to',
  'noise',
  'in',
  'training',
  'evaluation',
  'across',
  'tasks',
  'languages',
  'of',
];
const VENUES = [
  'arXiv (Cornell University)',
  'Neural Information Processing Systems',
  'International Conference on Machine Learning',
  'Transactions of the ACL',
  'Journal of Machine Learning Research',
];
const TYPES = ['article', 'article', 'article', 'preprint', 'review', 'book-chapter'];

export interface WorkGeneratorOptions {
  works: number;
  seed?: number;
  /** Mean references per work (default 10). */
  references?: number;
}

/** The JSON line of work `index` (without newline): a pure function of (seed, works, index). */
export function syntheticWorkLine(options: WorkGeneratorOptions, index: number): string {
  const { works } = options;
  const seed = options.seed ?? 1;
  const meanReferences = options.references ?? 10;
  const random = mulberry32(hash32(seed, index, 701));
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  // Skewed towards low numbers: index k is drawn with density ∝ k^(-2/3).
  const skewed = (n: number) => Math.min(n - 1, Math.floor(n * random() ** 3));
  const paper = syntheticPaper(seed, works, index);
  const id = (n: number) => `https://openalex.org/W${n}`;

  const references: string[] = [];
  const referenceCount = int(0, 2 * meanReferences);
  for (let k = 0; k < referenceCount; k++) {
    if (random() < 0.1) references.push(id(OUTSIDE_BASE + int(0, Math.max(1, works))));
    else {
      const target = random() < 0.5 ? skewed(works) : int(0, works - 1);
      if (target !== index) references.push(id(WORK_BASE + target));
    }
  }
  const related = Array.from({ length: int(0, 4) }, () => id(WORK_BASE + int(0, works - 1)));

  const pool = Math.max(30, Math.ceil(works * 1.5));
  const authorships = Array.from({ length: random() < 0.01 ? int(20, 200) : int(1, 8) }, (_, k) => {
    const member = skewed(pool);
    const first = FIRST_NAMES[hash32(seed, member, 1) % FIRST_NAMES.length]!.u;
    const last = LAST_NAMES[hash32(seed, member, 2) % LAST_NAMES.length]!.u;
    return {
      author_position: k === 0 ? 'first' : 'middle',
      author: { id: `https://openalex.org/A${AUTHOR_BASE + member}`, display_name: `${first} ${last}`, orcid: null },
      institutions: random() < 0.5 ? [{ id: `https://openalex.org/I${1000 + (member % 500)}`, display_name: `Institute ${member % 500}` }] : [],
      raw_author_name: `${first} ${last}`,
    };
  });
  if (authorships.length > 1) authorships[authorships.length - 1]!.author_position = 'last';

  let abstract: Record<string, number[]> | null = null;
  if (random() < 0.7) {
    abstract = {};
    const length = int(40, 200);
    for (let position = 0; position < length; position++) (abstract[WORDS[int(0, WORDS.length - 1)]!] ??= []).push(position);
  }

  const date = new Date(paper.published).toISOString().slice(0, 10);
  const arxivUrl = `https://arxiv.org/abs/${paper.arxivId}`;
  const onArxiv = random() < 0.6;
  const venue = VENUES[int(0, VENUES.length - 1)]!;
  const doi = random() < 0.5 ? `https://doi.org/10.5555/synthetic.${index}` : null;
  const landing = onArxiv ? arxivUrl : (doi ?? `https://example.org/works/${index}`);
  // VENUES[0] is arXiv; the others are journals and conferences.
  const source = SOURCE_BASE + (onArxiv ? 0 : Math.max(1, VENUES.indexOf(venue)));
  const older = random() < 0.2;
  // Drawn from hashes, not from `random`, so that every other field is as it was before topics were added.
  const topicIds = [...new Set(Array.from({ length: 1 + (hash32(seed, index, 801) % 3) }, (_, k) => hash32(seed, index, 802 + k) % TOPIC_POOL))];
  const classification = older
    ? {
        concepts: topicIds.map((t, k) => ({ id: `https://openalex.org/C${TOPIC_BASE + t}`, display_name: `Concept ${t}`, level: t % 4, score: 0.9 - 0.2 * k })),
      }
    : {
        topics: topicIds.map((t, k) => ({
          id: `https://openalex.org/T${TOPIC_BASE + t}`,
          display_name: `Topic ${t}`,
          score: 0.99 - 0.1 * k,
          subfield: { id: `https://openalex.org/subfields/${1700 + (t % 20)}`, display_name: `Subfield ${t % 20}` },
          field: { id: `https://openalex.org/fields/${17 + (t % 5)}`, display_name: `Field ${t % 5}` },
          domain: { id: `https://openalex.org/domains/${1 + (t % 2)}`, display_name: `Domain ${t % 2}` },
        })),
      };
  const layout = older
    ? {
        host_venue: { id: `https://openalex.org/V${source}`, display_name: onArxiv ? 'arXiv (Cornell University)' : venue, url: landing, is_oa: onArxiv },
        alternate_host_venues: [],
      }
    : {
        primary_location: {
          is_oa: onArxiv,
          landing_page_url: landing,
          pdf_url: onArxiv ? `https://arxiv.org/pdf/${paper.arxivId}` : null,
          source: {
            id: `https://openalex.org/S${source}`,
            display_name: onArxiv ? 'arXiv (Cornell University)' : venue,
            type: onArxiv ? 'repository' : 'journal',
          },
        },
        locations: [],
      };

  return JSON.stringify({
    id: id(WORK_BASE + index),
    doi,
    title: paper.title,
    display_name: paper.title,
    publication_year: Number(date.slice(0, 4)),
    publication_date: date,
    ids: { openalex: id(WORK_BASE + index), ...(doi ? { doi } : {}) },
    type: TYPES[int(0, TYPES.length - 1)],
    cited_by_count: int(0, 5000),
    authorships,
    referenced_works: references,
    related_works: related,
    abstract_inverted_index: abstract,
    ...layout,
    ...classification,
  });
}

export interface GenerateWorksOptions extends WorkGeneratorOptions {
  /** A file (`.gz` for gzip) or, for anything else, a directory of `part_NNN.gz` files. */
  out: string;
  /** Works per part file in a directory (default 100000). */
  perFile?: number;
}

/** Writes the works, yielding each file written with its works and bytes (uncompressed). */
export async function* generateWorks(options: GenerateWorksOptions): AsyncGenerator<{ file: string; works: number; bytes: number }> {
  const single = /\.(?:jsonl|ndjson|gz)$/i.test(options.out);
  const perFile = single ? options.works : (options.perFile ?? 100_000);
  if (!single) await mkdir(options.out, { recursive: true });
  else await mkdir(path.dirname(options.out), { recursive: true });
  for (let start = 0, part = 0; start < options.works; start += perFile, part++) {
    const file = single ? options.out : path.join(options.out, `part_${String(part).padStart(3, '0')}.gz`);
    const sink = createWriteStream(file);
    const gzip = file.endsWith('.gz') ? createGzip({ level: 6 }) : undefined;
    if (gzip) gzip.pipe(sink);
    const out = gzip ?? sink;
    const end = Math.min(options.works, start + perFile);
    let bytes = 0;
    for (let index = start; index < end; index++) {
      const line = `${syntheticWorkLine(options, index)}\n`;
      bytes += Buffer.byteLength(line);
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(sink, 'close');
    yield { file, works: end - start, bytes };
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      works: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string', default: '1' },
      'per-file': { type: 'string' },
      references: { type: 'string' },
    },
  });
  const number = (name: string, raw: string | undefined, min: number) => {
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be an integer ≥ ${min}, got ${String(raw)}`);
    return value;
  };
  if (!values.out) throw new Error('usage: tsx seed/openalex/generate.ts --works N --out FILE.jsonl[.gz]|DIR [--seed S] [--per-file M] [--references R]');
  const options: GenerateWorksOptions = {
    works: number('works', values.works, 1),
    out: values.out,
    seed: number('seed', values.seed, 0),
    perFile: values['per-file'] === undefined ? undefined : number('per-file', values['per-file'], 1),
    references: values.references === undefined ? undefined : number('references', values.references, 0),
  };
  for await (const written of generateWorks(options)) {
    process.stderr.write(`${written.file}: ${written.works} works, ${(written.bytes / 1048576).toFixed(0)} MiB of JSON\n`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
