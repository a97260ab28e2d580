import neo4j from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { toNative } from '../../src/db/values.ts';

const { DateTime, Date: Neo4jDate, Duration, Node, Relationship, LocalDateTime } = neo4j.types;

describe('toNative', () => {
  it('passes plain values through and walks arrays and plain objects', () => {
    expect(toNative('x')).toBe('x');
    expect(toNative(3.5)).toBe(3.5);
    expect(toNative(false)).toBe(false);
    expect(toNative(undefined)).toBeNull();
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    expect(toNative({ list: [1, { b: null }], bare })).toEqual({ list: [1, { b: null }], bare: { a: 1 } });
  });

  it('turns Integers into numbers', () => {
    expect(toNative({ n: neo4j.int(42), list: [neo4j.int(-7)] })).toEqual({ n: 42, list: [-7] });
  });

  it('writes a DateTime as the instant Date.toISOString writes, whatever its offset and year', () => {
    const cases = [
      new DateTime(2023, 9, 15, 0, 0, 0, 0, 0),
      new DateTime(2023, 9, 15, 1, 30, 5, 123_456_789, 9 * 3600),
      new DateTime(2024, 2, 29, 23, 59, 59, 999_999_999, -(5 * 3600 + 30 * 60)),
      new DateTime(1999, 12, 31, 23, 0, 0, 0, -3600),
      new DateTime(50, 6, 1, 12, 0, 0, 0, 0),
    ];
    for (const value of cases) {
      expect(toNative(value)).toBe(new Date(value.toString()).toISOString());
    }
    expect(toNative(new DateTime(2023, 9, 15, 1, 30, 5, 123_456_789, 9 * 3600))).toBe('2023-09-14T16:30:05.123Z');
    expect(toNative(new DateTime(50, 6, 1, 12, 0, 0, 0, 0))).toBe('0050-06-01T12:00:00.000Z');
  });

  it('writes other temporals as Neo4j writes them', () => {
    expect(toNative(new Neo4jDate(2023, 9, 15))).toBe('2023-09-15');
    expect(toNative(new LocalDateTime(2023, 9, 15, 8, 0, 0, 0))).toBe('2023-09-15T08:00:00');
    expect(toNative(new Duration(0, 2, 30, 0))).toBe('P2DT30S');
  });

  it('gives the properties of nodes and relationships', () => {
    const node = new Node(neo4j.int(1), ['Paper'], { uid: 'p1', publishedAt: new DateTime(2023, 9, 15, 0, 0, 0, 0, 0) }, 'e1');
    const edge = new Relationship(neo4j.int(2), neo4j.int(1), neo4j.int(3), 'RELATED_TO', { score: 0.9 }, 'e2', 'e1', 'e3');
    expect(toNative([node, edge])).toEqual([{ uid: 'p1', publishedAt: '2023-09-15T00:00:00.000Z' }, { score: 0.9 }]);
  });
});
