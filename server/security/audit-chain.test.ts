import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, GENESIS_HASH, verifyChain, type AuditEntryFields, type ChainedEntry } from './audit-chain.js';
import { maskAddress, maskIdNumber, maskName, maskPhone } from './masking.js';

function chain(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const e: AuditEntryFields = { seq: i, at: 1_700_000_000_000 + i, actorId: 1, actor: 'admin', action: 'grant.added', unitId: 2, detail: { business: 'upload', n: i } };
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit hash chain', () => {
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow();
  });

  it('an intact chain verifies', () => {
    expect(verifyChain(chain(5))).toMatchObject({ ok: true, count: 5, last: { seq: 5 } });
  });

  it('names the first broken link for an edit, a rehash, a deletion and a reorder', () => {
    const edited = chain(5);
    edited[2]!.detail = { business: 'admin', n: 3 };
    expect(verifyChain(edited).broken).toMatchObject({ seq: 3, reason: 'hash_mismatch' });

    const rehashed = chain(5);
    rehashed[2]!.actor = 'mallory';
    rehashed[2]!.hash = entryHash(rehashed[2]!.prevHash, rehashed[2]!);
    expect(verifyChain(rehashed).broken).toMatchObject({ seq: 4, reason: 'prev_hash_mismatch' });

    const deleted = chain(5);
    deleted.splice(1, 1);
    expect(verifyChain(deleted).broken).toMatchObject({ seq: 3, reason: 'seq_gap' });

    const swapped = chain(5);
    [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
    expect(verifyChain(swapped)).toMatchObject({ ok: false, count: 1, broken: { seq: 3 } });
  });
});

describe('masking', () => {
  it('masks ID numbers, phones, names and addresses', () => {
    expect(maskIdNumber('62010219900307123X')).toBe('620102********123X');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('0931-7617827')).toBe('*******7827');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('李')).toBe('*');
    expect(maskAddress('甘肃省兰州市城关区东岗西路 1 号')).toBe('甘肃省兰州市****');
  });
});
