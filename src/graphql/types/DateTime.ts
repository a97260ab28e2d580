import { Kind, print } from 'graphql';
import { builder } from '../builder.ts';
import { userError } from '../lib/errors.ts';

// A date, or a date and time with its offset: a time without one would mean the server's local time.
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$/;

/** The instant, or null when the text is not an ISO 8601 date-time or names a day that does not exist (2024-02-30). */
function parseInstant(text: string): Date | null {
  const match = isoDateTime.exec(text);
  if (!match) return null;
  const [, year, month, day] = match.map(Number);
  const calendarDay = new Date(0);
  calendarDay.setUTCFullYear(year!, month! - 1, day!); // not Date.UTC, which reads years 0–99 as 1900–1999
  if (calendarDay.getUTCFullYear() !== year || calendarDay.getUTCMonth() !== month! - 1 || calendarDay.getUTCDate() !== day) return null;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

const canonicalInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function instantOrThrow(value: unknown): Date {
  const instant = typeof value === 'string' ? parseInstant(value) : null;
  if (!instant) {
    throw userError('BAD_USER_INPUT', `"${String(value).slice(0, 40)}" is not an ISO 8601 date-time with an offset (or a date alone)`);
  }
  return instant;
}

export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant in time, as an ISO 8601 string in UTC (for example 2024-12-04T12:34:15.000Z). A date alone means midnight UTC; a time needs its offset (Z or ±hh:mm).',
  // Instants of papers arrive as epoch milliseconds (paperProjection), others as toISOString writes them
  // (src/db/values.ts); either is written without parsing text.
  serialize: (value) =>
    typeof value === 'number' ? new Date(value).toISOString() : typeof value === 'string' && canonicalInstant.test(value) ? value : new Date(value as string).toISOString(),
  parseValue: instantOrThrow,
  // Literals are strings; taking no variables keeps graphql-jit from warning on every compilation.
  parseLiteral: (ast) => instantOrThrow(ast.kind === Kind.STRING ? ast.value : print(ast)),
});
