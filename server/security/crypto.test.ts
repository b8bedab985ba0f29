import crypto from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BlindIndex, FieldCipher, FieldCryptoError } from './field-crypto.js';
import { MasterKey } from './key-file.js';
import { hashSessionToken, isWellFormedToken, newSessionToken } from './session-tokens.js';

const key = new MasterKey(crypto.randomBytes(32));
const cipher = new FieldCipher(key);

describe('field encryption (AES-256-GCM per value)', () => {
  it('round-trips, with a fresh IV each time', () => {
    const a = cipher.encrypt('62010219900307123X', 'operators.id_number_enc');
    const b = cipher.encrypt('62010219900307123X', 'operators.id_number_enc');
    expect(a).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('62010219900307123X');
    expect(cipher.decrypt(a, 'operators.id_number_enc')).toBe('62010219900307123X');
    expect(cipher.decrypt(cipher.encrypt('张三 ☎', 'x.y'), 'x.y')).toBe('张三 ☎');
  });

  it('refuses a value moved to another column, a tampered value and another key', () => {
    const v = cipher.encrypt('sk-secret', 'units.nhsa_sk_enc');
    expect(() => cipher.decrypt(v, 'operators.phone_enc')).toThrow(FieldCryptoError);
    const parts = v.split('.');
    const body = Buffer.from(parts[2]!, 'base64url');
    body[0] = body[0]! ^ 1;
    expect(() => cipher.decrypt(`${parts[0]}.${parts[1]}.${body.toString('base64url')}`, 'units.nhsa_sk_enc')).toThrow(/failed authentication/);
    expect(() => new FieldCipher(new MasterKey(crypto.randomBytes(32))).decrypt(v, 'units.nhsa_sk_enc')).toThrow(FieldCryptoError);
    expect(() => cipher.decrypt('v9.abc.def', 'units.nhsa_sk_enc')).toThrow(/version/);
    expect(() => cipher.decrypt('sk-secret', 'units.nhsa_sk_enc')).toThrow(FieldCryptoError);
  });

  it('never prints the key', () => {
    const raw = crypto.randomBytes(32);
    const k = new MasterKey(raw);
    const shown = `${k} ${JSON.stringify({ k })} ${inspect(k)} ${inspect({ nested: k })}`;
    expect(shown).not.toContain(raw.toString('hex'));
    expect(shown).not.toContain(raw.toString('base64'));
    expect(shown).toContain('[secret key');
  });

  it('blind index: stable per key and context, different across keys', () => {
    const idx = new BlindIndex(key);
    expect(idx.of('BADGE-0042', 'operators.badge')).toBe(idx.of('BADGE-0042', 'operators.badge'));
    expect(idx.of('BADGE-0042', 'operators.badge')).not.toBe(idx.of('BADGE-0042', 'other'));
    expect(new BlindIndex(new MasterKey(crypto.randomBytes(32))).of('BADGE-0042', 'operators.badge')).not.toBe(idx.of('BADGE-0042', 'operators.badge'));
  });
});

describe('session tokens', () => {
  it('are 256-bit random, stored only as SHA-256', () => {
    const t = newSessionToken();
    expect(isWellFormedToken(t)).toBe(true);
    expect(t).not.toBe(newSessionToken());
    expect(hashSessionToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSessionToken(t)).toBe(crypto.createHash('sha256').update(t).digest('hex'));
    for (const bad of ['', 'x', `${t}=`, `${t.slice(0, 42)}!`, "' OR 1=1 --", 42, null]) expect(isWellFormedToken(bad)).toBe(false);
  });
});
