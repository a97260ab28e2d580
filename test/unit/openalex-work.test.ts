import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { authorUid, paperUid } from '../../src/domain/keys.ts';
import { workRowOfLine } from '../../src/load/openalex.ts';
import { normalizeDoi, workIdOf } from '../../src/domain/openalex.ts';
import { abstractFromInvertedIndex, toWorkRow, WorkError } from '../../src/load/openalex-work.ts';

const worksFile = path.join(import.meta.dirname, '..', 'fixtures', 'openalex', 'works.jsonl');

async function fixtureWork(id: string): Promise<Record<string, unknown>> {
  const lines = (await readFile(worksFile, 'utf8')).trimEnd().split('\n');
  const line = lines.find((candidate) => candidate.includes(`"id": "https://openalex.org/${id}"`));
  if (!line) throw new Error(`no ${id} in the fixture`);
  return JSON.parse(line) as Record<string, unknown>;
}

const shape = (work: unknown) => toWorkRow(work, 'works.jsonl:1', 'hash');

describe('OpenAlex ids, DOIs and abstracts', () => {
  it('reads work ids in URL or short form', () => {
    expect(workIdOf('https://openalex.org/W2741809807')).toBe('W2741809807');
    expect(workIdOf('W2741809807')).toBe('W2741809807');
    expect(workIdOf('w42')).toBe('W42');
    expect(workIdOf('https://openalex.org/A5023888391')).toBeNull();
    expect(workIdOf('W')).toBeNull();
  });

  it('normalises DOIs to lower case without a resolver', () => {
    expect(normalizeDoi('https://doi.org/10.7717/PEERJ.4375')).toBe('10.7717/peerj.4375');
    expect(normalizeDoi('doi:10.48550/arXiv.1810.04805')).toBe('10.48550/arxiv.1810.04805');
    expect(normalizeDoi('10.1000/xyz')).toBe('10.1000/xyz');
    expect(normalizeDoi('not a doi')).toBeNull();
  });

  it('rebuilds an abstract from its inverted index, words in position order', () => {
    expect(abstractFromInvertedIndex({ is: [1, 4], This: [0], a: [2], test: [3], fine: [5] })).toBe('This is a test is fine');
    expect(abstractFromInvertedIndex({})).toBeNull();
    // A far position does not allocate a sparse array of that size.
    expect(abstractFromInvertedIndex({ end: [4_000_000_000], start: [0] })).toBe('start end');
    expect(() => abstractFromInvertedIndex({ word: [-1] })).toThrow(WorkError);
    expect(() => abstractFromInvertedIndex({ word: 'zero' })).toThrow(/list of positions/);
  });
});

describe('a work object as a row', () => {
  it('takes the current layout: ids, dates, venue, authors with positions, references without duplicates', async () => {
    const work = await fixtureWork('W101');
    const row = shape({ ...work, referenced_works: [...(work.referenced_works as string[]), 'https://openalex.org/W901', 'https://openalex.org/W101'] });
    expect(row).toMatchObject({
      source: 'works.jsonl:1',
      openalexId: 'W101',
      uid: paperUid('openalex:W101'),
      doi: null,
      arxivId: '1706.03762',
      title: 'Attention Is All You Need',
      titleKey: 'attentionisallyouneed',
      publishedAt: '2017-06-12T00:00:00.000Z',
      publicationYear: 2017,
      workType: 'article',
      venue: 'arXiv (Cornell University)',
      citedByCount: 104000,
    });
    expect(row.abstract).toMatch(/^The dominant sequence transduction models .* based solely on attention mechanisms\.$/);
    expect(row.authors).toEqual([
      {
        openalexId: 'A1',
        uid: authorUid('openalex:A1'),
        key: 'openalex:A1',
        name: 'Ashish Vaswani',
        orcid: null,
        position: 1,
        role: 'first',
        institutions: ['Google Brain'],
        institutionIds: ['I20582'],
      },
      {
        openalexId: 'A2',
        uid: authorUid('openalex:A2'),
        key: 'openalex:A2',
        name: 'Noam Shazeer',
        orcid: null,
        position: 2,
        role: 'middle',
        institutions: ['Google Brain'],
        institutionIds: ['I20582'],
      },
      {
        openalexId: 'A21',
        uid: authorUid('openalex:A21'),
        key: 'openalex:A21',
        name: 'Grace Hopper',
        orcid: '0000-0002-1825-0097',
        position: 3,
        role: 'last',
        institutions: ['National University'],
        institutionIds: ['I101'],
      },
    ]);
    // Each institution once, with what the file says of it; the source as an entity; topics, not the deprecated concepts.
    expect(row.institutions).toEqual([
      { openalexId: 'I20582', name: 'Google Brain', country: 'US', type: 'company', ror: null },
      { openalexId: 'I101', name: 'National University', country: 'SG', type: 'education', ror: '01tgyzw49' },
    ]);
    expect(row.publishedIn).toEqual({ openalexId: 'S1', name: 'arXiv (Cornell University)', type: 'repository', issnL: null });
    expect(row.topics).toEqual([
      {
        openalexId: 'T10181',
        name: 'Natural Language Processing Techniques',
        score: 0.9991,
        subfield: 'Artificial Intelligence',
        field: 'Computer Science',
        domain: 'Physical Sciences',
        level: null,
      },
      {
        openalexId: 'T10028',
        name: 'Topic Modeling',
        score: 0.9712,
        subfield: 'Artificial Intelligence',
        field: 'Computer Science',
        domain: 'Physical Sciences',
        level: null,
      },
    ]);
    // Repeated references count once; a work citing itself does not.
    expect(row.references.map((ref) => ref.openalexId)).toEqual(['W901', 'W902']);
    expect(row.related.map((ref) => ref.openalexId)).toEqual(['W102', 'W103']);
  });

  it('takes the older layout (host_venue, alternate_host_venues)', async () => {
    const row = shape(await fixtureWork('W108'));
    expect(row).toMatchObject({ arxivId: '1512.03385', venue: 'arXiv (Cornell University)' });
    // The older venue id V1 is the source S1, so both layouts name one venue.
    expect(row.publishedIn).toEqual({ openalexId: 'S1', name: 'arXiv (Cornell University)', type: 'repository', issnL: null });
    expect(row.institutions.map((institution) => institution.openalexId)).toEqual(['I1290206253', 'I101']);
    // Concepts, in a file without topics, as topics with their level.
    expect(row.topics).toEqual([
      { openalexId: 'C41008148', name: 'Computer science', score: 0.81, subfield: null, field: null, domain: null, level: 0 },
      { openalexId: 'C108583219', name: 'Deep learning', score: 0.77, subfield: null, field: null, domain: null, level: 2 },
    ]);
    const graph = shape(await fixtureWork('W109'));
    expect(graph).toMatchObject({ arxivId: null, venue: 'ICLR', publishedIn: { openalexId: 'S3', name: 'ICLR', type: null, issnL: null } });
  });

  it('keeps a venue known only by its id, and an institution without an id only as a name', async () => {
    expect(shape(await fixtureWork('W110'))).toMatchObject({ venue: null, publishedIn: { openalexId: 'S8', name: null } });
    const row = shape(await fixtureWork('W104'));
    expect(row.authors.at(-1)).toMatchObject({ institutions: ['National University', 'An Unresolved Lab'], institutionIds: ['I101'] });
    expect(row.institutions.map((institution) => institution.openalexId)).toEqual(['I101']);
    // A venue without an id keeps its name on the paper only.
    expect(shape({ id: 'W1', host_venue: { id: null, display_name: 'Some Proceedings' } })).toMatchObject({ venue: 'Some Proceedings', publishedIn: null });
  });

  it('finds the arXiv id in ids.arxiv, an arXiv DOI or an arxiv.org location', () => {
    expect(shape({ id: 'W1', ids: { arxiv: 'https://arxiv.org/abs/2106.09685v2' } }).arxivId).toBe('2106.09685');
    expect(shape({ id: 'W1', doi: 'https://doi.org/10.48550/ARXIV.2106.09685' }).arxivId).toBe('2106.09685');
    expect(shape({ id: 'W1', locations: [{ landing_page_url: 'https://example.org' }, { pdf_url: 'https://arxiv.org/pdf/hep-th/9901001v1' }] }).arxivId).toBe(
      'hep-th/9901001',
    );
    expect(shape({ id: 'W1', primary_location: { landing_page_url: 'https://example.org/arxiv.org/nothing' } }).arxivId).toBeNull();
  });

  it('keeps an untitled work, showing its id, and skips unresolved or repeated authors', () => {
    const row = shape({
      id: 'https://openalex.org/W7',
      title: null,
      display_name: null,
      publication_year: 1999,
      authorships: [
        { author: { id: null, display_name: 'Unresolved' } },
        { author: { id: 'https://openalex.org/A3', display_name: null }, raw_author_name: '  Raw   Name ' },
        { author: { id: 'https://openalex.org/A3', display_name: 'Again' } },
      ],
    });
    expect(row).toMatchObject({ title: 'W7', titleKey: null, publishedAt: null, publicationYear: 1999 });
    expect(row.authors.map((author) => [author.openalexId, author.name, author.position])).toEqual([['A3', 'Raw Name', 1]]);
  });

  it('refuses what is not a work, naming the field', () => {
    expect(() => shape([1])).toThrow('a work must be a JSON object, got a list');
    expect(() => shape({ display_name: 'x' })).toThrow('the work has no id');
    expect(() => shape({ id: 42 })).toThrow('id must be a string, got number 42');
    expect(() => shape({ id: 'W1', cited_by_count: -1 })).toThrow('W1: cited_by_count must be a non-negative integer, got number -1');
    expect(() => shape({ id: 'W1', publication_date: '2024-02-30' })).toThrow('W1: publication_date must be a date');
    expect(() => shape({ id: 'W1', referenced_works: ['W2', 3] })).toThrow('W1: referenced_works[1] must be a work id, got number 3');
    expect(() => shape({ id: 'W1', referenced_works: ['https://openalex.org/A2'] })).toThrow('not an OpenAlex work id');
    expect(() => shape({ id: 'W1', authorships: [{ author: { id: 'https://openalex.org/W5' } }] })).toThrow(
      'W1: authorships[0].author.id is not an OpenAlex author id',
    );
    expect(() => shape({ id: 'W1', authorships: [{ author: { id: 'A5' }, institutions: 'MIT' }] })).toThrow('authorships[0].institutions must be a list');
    expect(() => shape({ id: 'W1', primary_location: 'arxiv' })).toThrow('primary_location must be an object, got string "arxiv"');
    expect(() => shape({ id: 'W1', display_name: ['a'] })).toThrow('display_name must be a string, got a list');
    expect(() => shape({ id: 'W1', primary_location: { source: { id: 'https://openalex.org/I5' } } })).toThrow(
      'W1: primary_location.source.id is not an OpenAlex source id: string "https://openalex.org/I5"',
    );
    expect(() => shape({ id: 'W1', host_venue: { id: 7 } })).toThrow('W1: host_venue.id must be a string, got number 7');
    expect(() => shape({ id: 'W1', authorships: [{ author: { id: 'A5' }, institutions: [{ id: 'S9' }] }] })).toThrow(
      'W1: authorships[0].institutions[0].id is not an OpenAlex institution id',
    );
    expect(() => shape({ id: 'W1', topics: [{ id: 'T1', score: '0.9' }] })).toThrow('W1: topics[0].score must be a number, got string "0.9"');
    expect(() => shape({ id: 'W1', topics: [{ id: 'C1' }] })).toThrow('W1: topics[0].id is not an OpenAlex topic id');
    expect(() => shape({ id: 'W1', concepts: [{ id: 'C1', level: 1.5 }] })).toThrow('W1: concepts[0].level must be an integer, got number 1.5');
    expect(() => shape({ id: 'W1', topics: 'NLP' })).toThrow('W1: topics must be a list, got string "NLP"');
  });
});

describe('a line as a row', () => {
  const line = (text: string | null, error: string | null = null) => ({
    file: 'f.jsonl',
    line: 3,
    text,
    bytes: Buffer.from(text ?? ''),
    error,
  });

  it('hashes the line, so an unchanged line is recognised', () => {
    const a = workRowOfLine(line('{"id":"W1","display_name":"A"}'));
    const b = workRowOfLine(line('{"id":"W1","display_name":"A"}'));
    const c = workRowOfLine(line('{"id":"W1","display_name":"B"}'));
    expect('hash' in a && 'hash' in b && 'hash' in c).toBe(true);
    if ('hash' in a && 'hash' in b && 'hash' in c) {
      expect(a.hash).toBe(b.hash);
      expect(a.hash).not.toBe(c.hash);
      expect(a.source).toBe('f.jsonl:3');
    }
  });

  it('turns a bad line into file:line: message', () => {
    expect(workRowOfLine(line('   '))).toEqual({ source: 'f.jsonl:3', message: 'f.jsonl:3: blank line' });
    expect(workRowOfLine(line(null, 'the line is not valid UTF-8'))).toEqual({ source: 'f.jsonl:3', message: 'f.jsonl:3: the line is not valid UTF-8' });
    expect(workRowOfLine(line('{"id": "W1", "display_'))).toMatchObject({ message: expect.stringMatching(/^f\.jsonl:3: not valid JSON \(/) });
    expect(workRowOfLine(line('{"id": "W1", "type": 5}'))).toEqual({ source: 'f.jsonl:3', message: 'f.jsonl:3: W1: type must be a string, got number 5' });
  });
});
