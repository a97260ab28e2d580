import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId } from '../../src/graphql/lib/global-id.ts';

describe('global IDs', () => {
  it('are base64url of Type:uid, and decode back', () => {
    expect(encodeGlobalId('Paper', 'p-1')).toBe('UGFwZXI6cC0x');
    expect(encodeGlobalId('Author', 'a-Éric')).toBe(Buffer.from('Author:a-Éric', 'utf8').toString('base64url'));
    expect(decodeGlobalId(encodeGlobalId('Author', 'a-Éric'))).toEqual({ typename: 'Author', id: 'a-Éric' });
    // One uid under two types is two IDs.
    expect(encodeGlobalId('Paper', 'x')).not.toBe(encodeGlobalId('Author', 'x'));
  });
});
