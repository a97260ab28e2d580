import { describe, expect, it } from 'vitest';
import { isoOfEpochMillis } from '../../src/graphql/types/DateTime.ts';

describe('isoOfEpochMillis', () => {
  it('writes what Date.toISOString writes, across leap years, month ends and years 1000–9999', () => {
    const edges = [0, -1, 951_782_400_000, 951_868_799_999, 4_107_542_400_000, -30_610_224_000_000, 253_402_300_799_999, 1_700_000_000_123];
    let seed = 20261205;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const samples = Array.from({ length: 200_000 }, () => Math.floor((random() - 0.3) * 1.2e13));
    // One expectation over all values: 200,000 calls of expect() took over vitest's 5 s on a busy machine.
    const mismatches = [...edges, ...samples].filter((millis) => isoOfEpochMillis(millis) !== new Date(millis).toISOString());
    expect(mismatches).toEqual([]);
  });

  it('leaves years outside 1000–9999 and fractional or invalid values to Date', () => {
    expect(isoOfEpochMillis(-62_135_596_800_000)).toBe('0001-01-01T00:00:00.000Z');
    expect(isoOfEpochMillis(253_402_300_800_000)).toBe('+010000-01-01T00:00:00.000Z');
    expect(isoOfEpochMillis(1.5)).toBe(new Date(1.5).toISOString());
    expect(() => isoOfEpochMillis(Number.NaN)).toThrow(RangeError);
  });
});
