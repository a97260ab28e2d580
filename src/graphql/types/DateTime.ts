import { builder } from '../builder.ts';
import { userError } from '../lib/errors.ts';

// A date, or a date and time with its offset: a time without one would mean the server's local time.
const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The instant, or null when the text is not an ISO 8601 date-time or names a day that does not exist (2024-02-30). */
function parseInstant(text: string): Date | null {
  const match = isoDateTime.exec(text);
  if (!match) return null;
  const [, year, month, day] = match.map(Number);
  const calendarDay = new Date(Date.UTC(year!, month! - 1, day!));
  if (calendarDay.getUTCFullYear() !== year || calendarDay.getUTCMonth() !== month! - 1 || calendarDay.getUTCDate() !== day) return null;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant in time, as an ISO 8601 string in UTC (for example 2024-12-04T12:34:15.000Z). A date alone means midnight UTC; a time needs its offset (Z or ±hh:mm).',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => {
    const instant = typeof value === 'string' ? parseInstant(value) : null;
    if (!instant) {
      throw userError('BAD_USER_INPUT', `"${String(value).slice(0, 40)}" is not an ISO 8601 date-time with an offset (or a date alone)`);
    }
    return instant;
  },
});
