import { builder } from '../builder.ts';
import { userError } from '../lib/errors.ts';

const isoDateTime = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export const DateTime = builder.scalarType('DateTime', {
  description: 'An instant in time, as an ISO 8601 string in UTC (for example 2024-12-04T12:34:15.000Z). A date alone means midnight UTC.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: (value) => {
    if (typeof value !== 'string' || !isoDateTime.test(value) || Number.isNaN(Date.parse(value))) {
      throw userError('BAD_USER_INPUT', `"${String(value).slice(0, 40)}" is not an ISO 8601 date-time`);
    }
    return new Date(value);
  },
});
