import neo4j, { Date as Neo4jDate, DateTime, Duration, LocalDateTime, LocalTime, Node, Relationship, Time } from 'neo4j-driver';

/**
 * The one place Neo4j values become plain JS: temporals to ISO strings (DateTime to the instant, as
 * `Date.toISOString` writes it), Integers (if any slip through) to numbers, nodes and relationships to
 * their properties. Every row of every read passes through here, so plain values and plain objects,
 * nearly all of a row, are told apart first and cheaply.
 */
export function toNative(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(toNative);
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === Object.prototype || prototype === null) return entriesToNative(value as Record<string, unknown>);
  return fromDriverValue(value);
}

function entriesToNative(source: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) out[key] = toNative(source[key]);
  return out;
}

function fromDriverValue(value: object): unknown {
  if (value instanceof DateTime) return dateTimeToIso(value);
  if (neo4j.isInt(value)) return (value as { toNumber(): number }).toNumber();
  if (value instanceof Neo4jDate || value instanceof LocalDateTime || value instanceof Time || value instanceof LocalTime || value instanceof Duration) {
    return value.toString();
  }
  if (value instanceof Node || value instanceof Relationship) return entriesToNative(value.properties);
  return entriesToNative(value as Record<string, unknown>);
}

/** The instant as `Date.toISOString` writes it, computed from the fields rather than parsed from text. */
function dateTimeToIso(value: DateTime): string {
  const { year, month, day, hour, minute, second, nanosecond, timeZoneOffsetSeconds } = value as unknown as DateTime<number>;
  if (typeof timeZoneOffsetSeconds !== 'number' || typeof year !== 'number' || typeof nanosecond !== 'number') {
    return new Date(value.toString()).toISOString();
  }
  // setUTCFullYear, because Date.UTC reads years 0–99 as 1900–1999.
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, Math.floor(nanosecond / 1e6));
  return new Date(local.getTime() - timeZoneOffsetSeconds * 1000).toISOString();
}
