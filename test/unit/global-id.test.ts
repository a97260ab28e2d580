import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId } from '../../src/graphql/lib/global-id.ts';

describe('global IDs', () => {
  it('are base64url of Type:uid, the same whether remembered or not, past the bound of the remembered ones', () => {
    // 120,000 uids pass the per-type bound (50,000) twice; each is encoded twice, the second time from memory if kept.
    for (let round = 0; round < 2; round += 1) {
      for (let index = 0; index < 120_000; index += 1) {
        const uid = `p-${index.toString(36)}`;
        const id = encodeGlobalId('Paper', uid);
        if (id !== Buffer.from(`Paper:${uid}`, 'utf8').toString('base64url')) expect.fail(`Paper ${uid}: ${id}`);
      }
    }
    expect(encodeGlobalId('Author', 'a-Éric')).toBe(Buffer.from('Author:a-Éric', 'utf8').toString('base64url'));
    expect(decodeGlobalId(encodeGlobalId('Author', 'a-Éric'))).toEqual({ typename: 'Author', id: 'a-Éric' });
    // One uid under two types is two IDs.
    expect(encodeGlobalId('Paper', 'x')).not.toBe(encodeGlobalId('Author', 'x'));
  });
});
