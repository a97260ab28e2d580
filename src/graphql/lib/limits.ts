import { userError } from './errors.ts';

/** A numeric argument checked against its range: out of range is a BAD_USER_INPUT error naming the argument. */
export function checkRange(argument: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw userError('BAD_USER_INPUT', `${argument} must be between ${min} and ${max}, got ${value}`, { argument });
  }
  return value;
}
