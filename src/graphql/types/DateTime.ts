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

const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const threeDigits = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * What `new Date(millis).toISOString()` writes, in a fraction of its time (a page of papers writes
 * dozens): the civil date from the day number (H. Hinnant's days-to-civil),
 * then the time of day. Years outside 1000–9999, and anything but an integer, go to toISOString.
 */
export function isoOfEpochMillis(millis: number): string {
  if (!Number.isSafeInteger(millis)) return new Date(millis).toISOString();
  const days = Math.floor(millis / 86_400_000);
  let rest = millis - days * 86_400_000;
  const shifted = days + 719_468; // days from 0000-03-01
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) return new Date(millis).toISOString();
  const hour = Math.floor(rest / 3_600_000);
  rest -= hour * 3_600_000;
  const minute = Math.floor(rest / 60_000);
  rest -= minute * 60_000;
  const second = Math.floor(rest / 1000);
  return `${year}-${twoDigits(month)}-${twoDigits(day)}T${twoDigits(hour)}:${twoDigits(minute)}:${twoDigits(second)}.${threeDigits(rest - second * 1000)}Z`;
}

function instantOrThrow(value: unknown): Date {
  const instant = typeof value === 'string' ? parseInstant(value) : null;
  if (!instant) {
    throw userError('BAD_USER_INPUT', `"${String(value).slice(0, 40)}" is not an ISO 8601 date-time with an offset (or a date alone)`);
  }
  return instant;
}

export const DateTime = builder.scalarType('DateTime', {
  description:
    'An instant in time, as an ISO 8601 string in UTC (for example 2024-12-04T12:34:15.000Z). A date alone means midnight UTC; a time needs its offset (Z or ±hh:mm).',
  // Instants of papers arrive as epoch milliseconds (paperProjection), others as toISOString writes them
  // (src/db/values.ts); either is written without parsing text.
  serialize: (value) =>
    typeof value === 'number'
      ? isoOfEpochMillis(value)
      : typeof value === 'string' && canonicalInstant.test(value)
        ? value
        : new Date(value as string | Date).toISOString(),
  parseValue: instantOrThrow,
  // Literals are strings; taking no variables keeps graphql-jit from warning on every compilation.
  parseLiteral: (ast) => instantOrThrow(ast.kind === Kind.STRING ? ast.value : print(ast)),
});
