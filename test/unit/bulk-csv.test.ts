import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CsvTable, importArguments, type NodeKind, type RelationshipKind } from '../../src/load/bulk-csv.ts';
import { neo4jAdminCommand } from '../../src/neo4j/admin.ts';

interface Thing {
  id: string;
  text: string | null;
  count: number | null;
  flag: boolean | null;
  tags: string[];
}

const things: NodeKind<Thing> = {
  name: 'things',
  labels: ['Thing', 'Other'],
  idSpace: 'Thing',
  idProperty: 'key',
  id: (t) => t.id,
  columns: [
    { name: 'text', type: 'string', of: (t) => t.text },
    { name: 'count', type: 'long', of: (t) => t.count },
    { name: 'flag', type: 'boolean', of: (t) => t.flag },
    { name: 'tags', type: 'string[]', of: (t) => t.tags },
  ],
};
const links: RelationshipKind<[string, string]> = {
  name: 'links',
  type: 'LINKS',
  from: 'Thing',
  to: 'Thing',
  start: ([a]) => a,
  end: ([, b]) => b,
  columns: [],
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'papergraph-bulk-csv-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the bulk importer CSV tables', () => {
  it('writes typed headers, quotes text, leaves nulls and empty lists empty, and sends rows with line breaks to their own file', async () => {
    const table = new CsvTable(dir, things);
    await table.add({ id: 'T1', text: 'say "hi", then go', count: 3, flag: true, tags: ['a;b', 'c'] });
    await table.add({ id: 'T2', text: '', count: null, flag: false, tags: [] });
    await table.add({ id: 'T3', text: 'two\nlines', count: 0, flag: null, tags: [] });
    await table.close();
    expect(table.rows).toBe(3);
    expect(await readFile(path.join(dir, 'things.csv'), 'utf8')).toBe(
      'key:ID(Thing),text:string,count:long,flag:boolean,tags:string[]\n"T1","say ""hi"", then go",3,true,"a;b\u001fc"\n"T2","",,false,\n',
    );
    expect(await readFile(path.join(dir, 'things.multiline.csv'), 'utf8')).toBe(
      'key:ID(Thing),text:string,count:long,flag:boolean,tags:string[]\n"T3","two\nlines",0,,\n',
    );
  });

  it('writes a row begun while reading and finished later with its late columns, a line break in a begun value kept', async () => {
    const sub = await mkdtemp(path.join(dir, 'late-'));
    const late: NodeKind<Thing, { key: string | null }> = { ...things, name: 'late', lateColumns: [{ name: 'code', type: 'string', of: (k) => k.key }] };
    const table = new CsvTable(sub, late);
    const one = table.begin({ id: 'T1', text: 'a', count: 1, flag: null, tags: [] });
    const two = table.begin({ id: 'T2', text: 'b\nc', count: null, flag: true, tags: ['x'] });
    expect(one).not.toContain('\n');
    expect(two).not.toContain('\n');
    await table.finish(two, { key: 'k2' });
    await table.finish(one, { key: null });
    await table.close();
    const header = 'key:ID(Thing),text:string,count:long,flag:boolean,tags:string[],code:string';
    expect(await readFile(path.join(sub, 'late.csv'), 'utf8')).toBe(`${header}\n"T1","a",1,,,\n`);
    expect(await readFile(path.join(sub, 'late.multiline.csv'), 'utf8')).toBe(`${header}\n"T2","b\nc",,true,"x","k2"\n`);
    expect(table.rows).toBe(2);
  });

  it('gives the importer every file, the id type, the array delimiter and which files hold line breaks', async () => {
    const nodes = new CsvTable(dir, things);
    const relationships = new CsvTable(dir, links);
    await Promise.all([nodes.close(), relationships.close()]);
    expect(await readFile(path.join(dir, 'links.csv'), 'utf8')).toBe(':START_ID(Thing),:END_ID(Thing)\n');
    const args = importArguments([nodes.files, relationships.files], { database: 'papers', overwrite: true });
    expect(args).toEqual([
      'database',
      'import',
      'full',
      '--id-type=string',
      '--array-delimiter=U+001F',
      `--nodes=Thing:Other=${path.join(dir, 'things.csv')}`,
      `--nodes=Thing:Other=${path.join(dir, 'things.multiline.csv')}`,
      `--relationships=LINKS=${path.join(dir, 'links.csv')}`,
      `--relationships=LINKS=${path.join(dir, 'links.multiline.csv')}`,
      '--multiline-fields-format=v2',
      `--multiline-fields=${path.join(dir, 'things.multiline.csv')},${path.join(dir, 'links.multiline.csv')}`,
      '--overwrite-destination=true',
      'papers',
    ]);
    expect(neo4jAdminCommand(['database', 'import', 'full', '--nodes=Paper=/tmp/my dir/p.csv', 'neo4j'])).toBe(
      "neo4j-admin database import full '--nodes=Paper=/tmp/my dir/p.csv' neo4j",
    );
  });
});
