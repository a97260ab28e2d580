/**
 * CSV files in the input format of Neo4j's bulk importer (`neo4j-admin database import full`), one
 * file per node or relationship kind, each kind described by a table entry: its label or type, its
 * id space, and its columns with their types. A kind is added by adding an entry, not by writing CSV.
 * See https://neo4j.com/docs/operations-manual/5/tools/neo4j-admin/neo4j-admin-import/.
 */
import path from 'node:path';
import { LineWriter } from './external-sort.ts';

export type ColumnType = 'string' | 'long' | 'double' | 'boolean' | 'datetime' | 'string[]';
export type CellValue = string | number | boolean | string[] | null | undefined;

export interface Column<R> {
  /** The property name. */
  name: string;
  type: ColumnType;
  /** null or undefined: no property, as a null in Cypher's SET. */
  of: (row: R) => CellValue;
}

export interface NodeKind<R, L = never> {
  /** File name (without .csv). */
  name: string;
  labels: string[];
  /** The id space relationships name the node in (`:ID(space)`); the id is also stored as `idProperty`. */
  idSpace: string;
  idProperty: string;
  id: (row: R) => string;
  columns: Column<R>[];
  /**
   * Columns only known once every row has been read (a key held by one row only, …): a row is begun
   * from R while reading (CsvTable.begin) and finished from L later (CsvTable.finish). Written last.
   */
  lateColumns?: Column<L>[];
}

export interface RelationshipKind<R> {
  name: string;
  type: string;
  /** Id spaces of the start and end nodes. */
  from: string;
  to: string;
  start: (row: R) => string;
  end: (row: R) => string;
  columns: Column<R>[];
}

/**
 * Between the elements of a list value. A unit separator, which no text field of a work holds in
 * practice (workRowOfBulk refuses a work whose list values do).
 */
export const arrayDelimiter = '\u001f';

const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;

/** One cell; `multiline` is set when a value holds a line break (see CsvTable). */
function cell(type: ColumnType, value: CellValue, where: { multiline: boolean }): string {
  if (value === null || value === undefined) return '';
  switch (type) {
    case 'string': {
      const text = String(value);
      if (/[\r\n]/.test(text)) where.multiline = true;
      return quote(text);
    }
    case 'string[]': {
      const list = value as string[];
      // An empty list is no property: the importer cannot write one (and the transactional path writes none).
      if (list.length === 0) return '';
      const text = list.join(arrayDelimiter);
      if (/[\r\n]/.test(text)) where.multiline = true;
      return quote(text);
    }
    case 'long':
      return String(Math.trunc(value as number));
    case 'double':
      // The shortest text that reads back as the same double, as the driver sends the transactional path's.
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'datetime':
      return String(value);
  }
}

class CsvFile {
  readonly writer: LineWriter;

  constructor(
    readonly path: string,
    header: string,
  ) {
    this.writer = new LineWriter(path);
    void this.writer.write(header);
  }

  /** The lines written but the header: a row's line breaks are within its quotes, not written as lines. */
  get rows(): number {
    return this.writer.lines - 1;
  }

  write(line: string): Promise<void> | undefined {
    return this.writer.write(line);
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}

/**
 * The rows of one kind. Rows with a line break in a value go to a second file, `<name>.multiline.csv`,
 * the only one the importer is told to parse line breaks in (that parsing is slow).
 */
export class CsvTable<R, L = never> {
  private readonly plain: CsvFile;
  private readonly multiline: CsvFile;
  private readonly cells: ((row: R, where: { multiline: boolean }) => string)[];
  private readonly lateCells: ((row: L, where: { multiline: boolean }) => string)[];

  constructor(
    dir: string,
    readonly kind: NodeKind<R, L> | RelationshipKind<R>,
    /** The files' name without .csv (default the kind's name): one table per reader writes a kind's rows in parallel. */
    file = kind.name,
  ) {
    const late = 'labels' in kind ? (kind.lateColumns ?? []) : [];
    const typed = (c: Column<R> | Column<L>) => `${c.name}:${c.type}`;
    const header =
      'labels' in kind
        ? [`${kind.idProperty}:ID(${kind.idSpace})`, ...kind.columns.map(typed), ...late.map(typed)]
        : [`:START_ID(${kind.from})`, `:END_ID(${kind.to})`, ...kind.columns.map(typed)];
    this.plain = new CsvFile(path.join(dir, `${file}.csv`), header.join(','));
    this.multiline = new CsvFile(path.join(dir, `${file}.multiline.csv`), header.join(','));
    const columns = kind.columns.map((column) => (row: R, where: { multiline: boolean }) => cell(column.type, column.of(row), where));
    this.cells =
      'labels' in kind
        ? [(row, where) => cell('string', kind.id(row), where), ...columns]
        : [(row, where) => cell('string', kind.start(row), where), (row, where) => cell('string', kind.end(row), where), ...columns];
    this.lateCells = late.map((column) => (row: L, where: { multiline: boolean }) => cell(column.type, column.of(row), where));
  }

  get rows(): number {
    return this.plain.rows + this.multiline.rows;
  }

  /** The two files' writers, whose byte counts mark where a row begins (see cutByteRanges). */
  get writers(): LineWriter[] {
    return [this.plain.writer, this.multiline.writer];
  }

  private write(line: string, multiline: boolean): Promise<void> | undefined {
    return (multiline ? this.multiline : this.plain).write(line);
  }

  /** A row of a kind without late columns. */
  add(row: R): Promise<void> | undefined {
    const where = { multiline: false };
    let line = this.cells[0]!(row, where);
    for (let i = 1; i < this.cells.length; i++) line += `,${this.cells[i]!(row, where)}`;
    return this.write(line, where.multiline);
  }

  /**
   * The cells of a row known while reading, as one line of text to keep aside (a value's line break
   * escaped), for `finish`.
   */
  begin(row: R): string {
    const where = { multiline: false };
    let line = this.cells[0]!(row, where);
    for (let i = 1; i < this.cells.length; i++) line += `,${this.cells[i]!(row, where)}`;
    return where.multiline ? `m${JSON.stringify(line)}` : `p${line}`;
  }

  /** Writes a row begun with `begin`, with its late columns from `late`. */
  finish(begun: string, late: L): Promise<void> | undefined {
    const where = { multiline: begun[0] === 'm' };
    let line = where.multiline ? (JSON.parse(begun.slice(1)) as string) : begun.slice(1);
    for (const toCell of this.lateCells) line += `,${toCell(late, where)}`;
    return this.write(line, where.multiline);
  }

  async close(): Promise<void> {
    await Promise.all([this.plain.close(), this.multiline.close()]);
  }

  /** Its files, for importArguments. */
  get files(): CsvFiles {
    return { kind: this.kind as CsvFiles['kind'], plain: [this.plain.path], multiline: [this.multiline.path], rows: this.rows };
  }
}

/** The files of one kind, from one CsvTable or several (one per reader), each with its header. */
export interface CsvFiles {
  kind: NodeKind<never, never> | RelationshipKind<never>;
  plain: string[];
  /** The files of rows with a line break in a value: the only ones the importer parses line breaks in. */
  multiline: string[];
  rows: number;
}

/** `--nodes=Label=file` / `--relationships=TYPE=file` arguments, one a file: each file has its own header. */
function fileArguments({ kind, plain, multiline }: CsvFiles): string[] {
  const option = 'labels' in kind ? `--nodes=${kind.labels.join(':')}` : `--relationships=${kind.type}`;
  return [...plain, ...multiline].map((file) => `${option}=${file}`);
}

/**
 * The arguments of `neo4j-admin database import full` for these tables (the database name last), with
 * the same quoting and array rules the tables were written with.
 */
export function importArguments(
  tables: CsvFiles[],
  options: { database?: string; overwrite?: boolean; maxOffHeapMemory?: string; reportFile?: string },
): string[] {
  return [
    'database',
    'import',
    'full',
    '--id-type=string',
    `--array-delimiter=U+${arrayDelimiter.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    ...tables.flatMap(fileArguments),
    '--multiline-fields-format=v2',
    `--multiline-fields=${tables.flatMap((table) => table.multiline).join(',')}`,
    ...(options.overwrite ? ['--overwrite-destination=true'] : []),
    ...(options.maxOffHeapMemory ? [`--max-off-heap-memory=${options.maxOffHeapMemory}`] : []),
    ...(options.reportFile ? [`--report-file=${options.reportFile}`] : []),
    options.database ?? 'neo4j',
  ];
}
