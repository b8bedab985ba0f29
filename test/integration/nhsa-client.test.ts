import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NhsaClient } from '../../server/platforms/nhsa/client.js';
import { buildEnvelope, EnvelopeError } from '../../server/platforms/nhsa/envelope.js';
import { mapRecord, packCall } from '../../server/platforms/nhsa/param.js';
import { builtInNhsaProfile, loadNhsaProfile, parseNhsaProfile, ProfileError } from '../../server/platforms/nhsa/profile.js';
import { nhsaSign } from '../../server/platforms/nhsa/sign.js';
import { startNhsaSandbox, type NhsaSandbox } from '../../server/platforms/sandbox/nhsa/index.js';
import { tempDir } from '../helpers/workstation.js';

/** The guide's rule computed by a tool that shares no code with ours: coreutils' sha256sum. */
function shellSign(ak: string, ts: string, sk: string, param: string): string {
  const out = execFileSync('sh', ['-c', 'printf %s "$AK$TS$SK$PARAM" | sha256sum'], { env: { PATH: process.env.PATH, AK: ak, TS: ts, SK: sk, PARAM: param, LC_ALL: 'C.UTF-8' } });
  return out.toString().split(' ')[0]!;
}

describe('NHSA signature and envelope', () => {
  const cases: Array<[string, string, string, string]> = [
    ['您的ak', '1763769600', '您的sk', '{"investigatedCertType":"01","investigatedCertno":"42108319891111111"}'],
    ['ak-测试', '1763769601', 'sk$with`back"quotes\'\\', JSON.stringify({ flow_entp_name: '兰州示范医药有限公司', note: '引号"反斜杠\\ 百分号%s 美元$HOME 换行\n制表\t emoji💊 \u2028' })],
    ['A'.repeat(50), '0', '', '{}'],
  ];
  it.each(cases)('sign(%s, %s, …) equals printf | sha256sum', (ak, ts, sk, param) => {
    expect(nhsaSign(ak, ts, sk, param)).toBe(shellSign(ak, ts, sk, param));
    expect(nhsaSign(ak, ts, sk, param)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('signs the exact param text that goes on the wire (string and raw-object encodings)', () => {
    const p = builtInNhsaProfile();
    const param = JSON.stringify({ bill_no: '单号-1', data_list: [{ drug_trac_codg: '81000010000000000001' }] });
    const { body, timestamp, sign } = buildEnvelope(p, { ak: 'ak1', sk: '密钥' }, 1_763_769_600_123, param);
    const parsed = JSON.parse(body) as { ak: string; timestamp: string; sign: string; param: string };
    expect(parsed).toEqual({ ak: 'ak1', timestamp: '1763769600', sign, param });
    expect(timestamp).toBe('1763769600');
    expect(sign).toBe(shellSign('ak1', '1763769600', '密钥', param));
    const raw = buildEnvelope({ ...p, envelope: { ...p.envelope, paramEncoding: 'object', timestampUnit: 'milliseconds' } }, { ak: 'ak1', sk: 's' }, 1_763_769_600_123, param);
    expect(raw.body.endsWith(`"param":${param}}`)).toBe(true);
    expect(raw.timestamp).toBe('1763769600123');
  });

  it('checks the envelope lengths of the guide’s table before sending', () => {
    const p = builtInNhsaProfile();
    expect(() => buildEnvelope(p, { ak: 'a'.repeat(51), sk: 's' }, Date.now(), '{}')).toThrow(EnvelopeError);
    expect(() => buildEnvelope(p, { ak: 'a', sk: 's' }, Date.now(), JSON.stringify({ x: 'y'.repeat(1100) }))).toThrow(/param is 1\d{3} characters, the platform takes at most 1024/);
  });

  it('maps a record through the profile: China time, value tables, required and over-long fields refused before sending', () => {
    const op = builtInNhsaProfile().operations.circulation;
    const base = { traceCode: '81000010000000000001', direction: 'in', documentNumber: 'RK-1', circulationUnitName: '我司', circulationUnitUscc: '91350100M000100Y43', circulationTime: Date.parse('2026-01-15T02:00:00Z'), shipperName: '上游', shipperUscc: '91110000600037341L', shipStatus: 'shipped', receiverName: '我司', receiverUscc: '91350100M000100Y43', receiveStatus: 'received', expiry: '2028-12-31' };
    const m = mapRecord(op, base);
    expect(m).toMatchObject({ ok: true, header: { flow_dir: '1', flow_time: '2026-01-15 10:00:00', shp_stas: '1', rcv_stas: '1' }, item: { drug_trac_codg: '81000010000000000001', expy_end: '2028-12-31' } });
    expect(mapRecord(op, { ...base, direction: 'sideways' })).toMatchObject({ ok: false, problems: [{ field: 'flow_dir', reason: 'bad_value' }] });
    expect(mapRecord(op, { ...base, documentNumber: null })).toMatchObject({ ok: false, problems: [{ field: 'bill_no', reason: 'required' }] });
    expect(mapRecord(op, { ...base, shipperUscc: '9'.repeat(19) })).toMatchObject({ ok: false, problems: [{ field: 'shp_entp_uscc', reason: 'too_long' }] });
  });

  it('packs one call per header under the 1024-character param, in order, each key once', () => {
    const op = builtInNhsaProfile().operations.circulation;
    const rec = (i: number, doc = 'RK-1') => ({ id: i, record: { traceCode: `8100001${String(i).padStart(13, '0')}`, direction: 'in', documentNumber: doc, circulationUnitName: '我司', circulationUnitUscc: '91350100M000100Y43', circulationTime: 1, shipperName: '上游', shipperUscc: '91110000600037341L', shipStatus: 'shipped', receiverName: '我司', receiverUscc: '91350100M000100Y43', receiveStatus: 'received' } });
    const packed = packCall(op, 1024, [rec(1), rec(2, 'RK-2'), rec(3), rec(3), ...Array.from({ length: 40 }, (_, i) => rec(10 + i))]);
    expect(packed.paramText!.length).toBeLessThanOrEqual(1024);
    const sent = JSON.parse(packed.paramText!) as { bill_no: string; data_list: unknown[] };
    expect(sent.bill_no).toBe('RK-1');
    expect(packed.sent.map((s) => s.id)).not.toContain(2);
    expect(packed.sent.filter((s) => s.id === 3)).toHaveLength(1);
    expect(sent.data_list).toHaveLength(packed.sent.length);
    expect(packed.sent.length).toBeGreaterThan(3);
  });
});

describe('interface profile', () => {
  it('the shipped profile is valid and names every operation of the guide', () => {
    const p = builtInNhsaProfile();
    expect(Object.values(p.operations).map((o) => o.title['zh-CN'])).toEqual(expect.arrayContaining(['国产药信息上传', '进口药信息上传', '医用耗材信息上传', '追溯码信息上传', '发货信息上传', '收货信息上传', '配送信息上传', '流通信息上传', '单码查询', '生产批次查询', '上传日期查询']));
    expect(p.roles.distributor).toMatchObject({ inbound: ['circulation'], outbound: ['circulation'] });
    expect(p.roles.manufacturer.outbound).toEqual(['shipping', 'distribution']);
  });

  it('a broken profile is refused with every problem and where it is', () => {
    const copy = () => JSON.parse(JSON.stringify(builtInNhsaProfile())) as Record<string, any>;
    const problems = (p: unknown) => {
      try {
        parseNhsaProfile(p, 'test.json');
      } catch (e) {
        expect(e).toBeInstanceOf(ProfileError);
        return (e as Error).message;
      }
      throw new Error('accepted a broken profile');
    };
    const shape = copy();
    shape.operations.traceCode.path = 'no-slash';
    delete shape.envelope.maxLength.param;
    const a = problems(shape);
    expect(a).toMatch(/operations\.traceCode\.path/);
    expect(a).toMatch(/envelope\.maxLength\.param/);
    const meaning = copy();
    meaning.operations.circulation.recordKey = 'productName';
    meaning.operations.shipping.path = meaning.operations.receiving.path;
    const b = problems(meaning);
    expect(b).toMatch(/operations\.circulation\.recordKey/);
    expect(b).toMatch(/is used by another operation/);
    expect(() => loadNhsaProfile('/nonexistent/profile.json')).toThrow(/does not exist/);
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'p.json'), '{not json');
    expect(() => loadNhsaProfile(path.join(dir, 'p.json'))).toThrow(/not JSON/);
  });
});

describe('NHSA client against the sandbox', () => {
  let sandbox: NhsaSandbox;
  const account = { ak: 'client-ak', sk: 'client-sk', uscc: '91350100M000100Y43', name: '我司' };
  afterAll(async () => sandbox?.close());

  it('re-signs once on the platform’s clock after a timestamp refusal, and reports the skew', async () => {
    const profile = builtInNhsaProfile();
    sandbox = await startNhsaSandbox({ profile, accounts: [account] });
    // The workstation's clock is 20 minutes slow: the first call is refused (1003), the second is taken.
    const client = new NhsaClient({ baseUrl: sandbox.url, profile, timeoutMs: 2000, now: () => Date.now() - 20 * 60_000 });
    const param = JSON.stringify({ drug_trac_codg: '81000010000000000001', page_num: 1, page_size: 100 });
    expect(client.clockSkewMs).toBeNull();
    const q = await client.query('queryByCode', account, { code: '81000010000000000001' });
    expect(q).toEqual({ ok: true, rows: [] });
    expect(client.clockSkewMs).toBeGreaterThan(19 * 60_000);
    expect(sandbox.stats().refusals).toMatchObject({ '1003': 1 });
    expect(param).toContain('drug_trac_codg');
  });

  it('tells an unsent call from an unknown outcome', async () => {
    const profile = builtInNhsaProfile();
    const closed = new NhsaClient({ baseUrl: 'http://127.0.0.1:1', profile, timeoutMs: 500 });
    expect(await closed.upload('circulation', account, '{}')).toMatchObject({ outcome: 'not-sent' });
    const client = new NhsaClient({ baseUrl: sandbox.url, profile, timeoutMs: 150 });
    sandbox.setFaults({ hangMs: 400 });
    sandbox.forceFaults(['timeout']);
    expect(await client.upload('circulation', account, '{}')).toMatchObject({ outcome: 'unknown' });
    sandbox.forceFaults(['drop-after-store']);
    expect(await client.upload('circulation', account, '{}')).toMatchObject({ outcome: 'unknown' });
    sandbox.forceFaults(['5xx']);
    expect(await client.upload('circulation', account, '{}')).toMatchObject({ outcome: 'unknown' });
    expect(await client.upload('circulation', account, '{}')).toMatchObject({ outcome: 'answered', answer: { kind: 'refused' } });
  });
});
