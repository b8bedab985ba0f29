import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import defaultProfileJson from '../../server/platforms/nhsa/profile.default.json' with { type: 'json' };
import { mapRecord, packCall } from '../../server/platforms/nhsa/param.js';
import { builtInNhsaProfile, parseNhsaProfile } from '../../server/platforms/nhsa/profile.js';
import type { CanonicalRecord, NhsaProfile, QueryOperation, UploadOperation } from '../../server/platforms/nhsa/profile.schema.js';
import { readQueryAnswer, readUploadAnswer } from '../../server/platforms/nhsa/response.js';
import { nhsaSign } from '../../server/platforms/nhsa/sign.js';
import { startNhsaSandbox, type NhsaSandbox, type SandboxAccount } from '../../server/platforms/sandbox/nhsa/index.js';

// 2026-01-15 10:00:00 China time: a fixed clock keeps timestamps, dates and skew cases exact.
const NOW = Date.UTC(2026, 0, 15, 2, 0, 0);
const DAY = 86_400_000;
const ACCOUNT: SandboxAccount = { ak: 'AK-test-0001', sk: 'sk-test-secret-0001', uscc: '91110000MA01ABCDE1', name: '测试医药有限公司' };
const OTHER: SandboxAccount = { ak: 'AK-test-0002', sk: 'sk-test-secret-0002', uscc: '91320000MA02XYZ123', name: '另一家医药公司' };

const started: NhsaSandbox[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function sandbox(o: { profile?: NhsaProfile; now?: () => number; storeFile?: string } = {}): Promise<NhsaSandbox> {
  const sb = await startNhsaSandbox({ profile: o.profile ?? builtInNhsaProfile(), accounts: [ACCOUNT, OTHER], port: 0, now: o.now ?? (() => NOW), storeFile: o.storeFile });
  started.push(sb);
  return sb;
}

/** The default JSON, deep-copied and changed, then validated like a user's file. */
function variant(change: (p: typeof defaultProfileJson) => void): NhsaProfile {
  const copy = structuredClone(defaultProfileJson);
  change(copy);
  return parseNhsaProfile(copy, 'test variant').profile;
}

const stamp = (profile: NhsaProfile, ms: number) => String(profile.envelope.timestampUnit === 'milliseconds' ? ms : Math.floor(ms / 1000));

interface Sender {
  account?: SandboxAccount;
  timestamp?: string;
  sign?: string;
  /** The text to sign when it differs from the text sent (the re-serialisation bug). */
  signed?: string;
}

function envelope(profile: NhsaProfile, paramText: string, s: Sender = {}): string {
  const a = s.account ?? ACCOUNT;
  const timestamp = s.timestamp ?? stamp(profile, NOW);
  const sign = s.sign ?? nhsaSign(a.ak, timestamp, a.sk, s.signed ?? paramText);
  return JSON.stringify({ ak: a.ak, timestamp, sign, param: paramText });
}

async function post(sb: NhsaSandbox, urlPath: string, body: string): Promise<{ status: number; text: string; json: Record<string, unknown> }> {
  const res = await fetch(sb.url + urlPath, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // 5xx bodies are HTML, as a gateway would send them
  }
  return { status: res.status, text, json };
}

/** What a client does: map and pack with param.ts, sign, send. */
function packed(profile: NhsaProfile, id: UploadOperation, records: CanonicalRecord[]): string {
  const call = packCall(profile.operations[id], profile.envelope.maxLength.param, records.map((record, i) => ({ id: i, record })));
  expect(call.refused).toEqual([]);
  expect(call.sent).toHaveLength(records.length);
  return call.paramText!;
}

async function upload(sb: NhsaSandbox, profile: NhsaProfile, id: UploadOperation, records: CanonicalRecord[], s: Sender = {}) {
  const res = await post(sb, profile.operations[id].path, envelope(profile, packed(profile, id, records), s));
  return { ...res, answer: readUploadAnswer(profile, profile.operations[id], res.text) };
}

async function query(sb: NhsaSandbox, profile: NhsaProfile, id: QueryOperation, param: Record<string, unknown>, s: Sender = {}) {
  const res = await post(sb, profile.operations[id].path, envelope(profile, JSON.stringify(param), s));
  return { ...res, answer: readQueryAnswer(profile, res.text) };
}

const movement = (traceCode: string, extra: CanonicalRecord = {}): CanonicalRecord => ({
  direction: 'in',
  documentNumber: 'RK-2026-0001',
  circulationUnitName: '测试医药有限公司',
  circulationUnitUscc: ACCOUNT.uscc,
  circulationTime: NOW,
  shipperName: '上游药业',
  shipperUscc: OTHER.uscc,
  shipStatus: 'shipped',
  receiverName: '测试医药有限公司',
  receiverUscc: ACCOUNT.uscc,
  receiveStatus: 'received',
  traceCode,
  batch: 'B2026001',
  expiry: '2028-06-30',
  ...extra,
});

const headerOf = (profile: NhsaProfile, record: CanonicalRecord) => {
  const m = mapRecord(profile.operations.circulation, record);
  if (!m.ok) throw new Error(JSON.stringify(m.problems));
  return m.header;
};

describe('NHSA sandbox: uploads', () => {
  const profile = builtInNhsaProfile();
  const circ = profile.operations.circulation;

  it('stores a valid upload, header merged into each item, and answers in a shape readUploadAnswer reads', async () => {
    const sb = await sandbox();
    const res = await upload(sb, profile, 'circulation', [movement('81000000000000000001'), movement('81000000000000000002')]);
    expect(res.status).toBe(200);
    expect(res.answer).toMatchObject({ kind: 'taken', message: '成功', serverTime: Math.floor(NOW / 1000) * 1000 });
    expect(res.answer.kind === 'taken' && res.answer.failures.size).toBe(0);
    expect(res.json).toMatchObject({ code: 0, data: { success_count: 2, fail_count: 0, fail_list: [] } });
    const rows = sb.rows();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ seq: 1, ak: ACCOUNT.ak, uscc: ACCOUNT.uscc, operation: 'circulation', queryType: 'circulation', uploadedAt: NOW, uploadDate: '2026-01-15' });
    expect(rows[0]!.fields).toMatchObject({ flow_dir: '1', bill_no: 'RK-2026-0001', flow_time: '2026-01-15 10:00:00', drug_trac_codg: '81000000000000000001', manu_lotnum: 'B2026001' });
    expect(sb.stats()).toMatchObject({ calls: { circulation: 1 }, stored: 2, refusals: {} });
  });

  it('lists per-item failures by record key and stores the valid items', async () => {
    const sb = await sandbox();
    const paramText = JSON.stringify({
      ...headerOf(profile, movement('x')),
      data_list: [
        { drug_trac_codg: 'GOOD-1', manu_lotnum: 'B1' },
        { drug_trac_codg: 'LONG-LOT', manu_lotnum: 'L'.repeat(31) },
        { drug_trac_codg: 'BAD-DATE', expy_end: '2028/06/30' },
        { drug_trac_codg: 'STRAY', lot: 'B1' },
        { drug_trac_codg: 'GOOD-2' },
      ],
    });
    const res = await post(sb, circ.path, envelope(profile, paramText));
    const answer = readUploadAnswer(profile, circ, res.text);
    if (answer.kind !== 'taken') throw new Error(res.text);
    expect(answer.message).toBe('部分成功');
    expect([...answer.failures.keys()]).toEqual(['LONG-LOT', 'BAD-DATE', 'STRAY']);
    expect(answer.failures.get('LONG-LOT')).toMatch(/manu_lotnum 超长/);
    expect(answer.failures.get('BAD-DATE')).toMatch(/expy_end 应为 yyyy-MM-dd/);
    expect(answer.failures.get('STRAY')).toMatch(/未知字段 lot/);
    expect(res.json).toMatchObject({ data: { success_count: 2, fail_count: 3 } });
    expect(sb.rows().map((r) => r.fields.drug_trac_codg)).toEqual(['GOOD-1', 'GOOD-2']);
  });

  it('verifies a signature over Chinese text, quotes, backslashes, emoji and U+2028 exactly as sent', async () => {
    const sb = await sandbox();
    const name = '华东"医药"\\仓库\\ 😀 第\u2028二行 \'单引号\' </script>';
    const res = await upload(sb, profile, 'circulation', [movement('81000000000000000009', { circulationUnitName: name, receiverName: name })]);
    expect(res.answer.kind).toBe('taken');
    expect(sb.rows()[0]!.fields).toMatchObject({ flow_entp_name: name, rcv_entp_name: name });
  });

  it("with paramEncoding 'object' signs param's raw text as it appears in the body", async () => {
    const objectProfile = variant((p) => {
      p.envelope.paramEncoding = 'object';
    });
    const sb = await sandbox({ profile: objectProfile });
    const op = objectProfile.operations.traceCode;
    // Odd spacing, key order and an escape: any re-serialisation would change this text.
    const raw = '{ "data_list" : [ {"pac_lv":1, "drug_trac_codg":"81000000000000000077", "med_list_codg":"XA01\\u00e9", "manu_lotnum":"B\\"7", "expy_end":"2028-01-31"} ] }';
    const send = (signed: string) => {
      const timestamp = stamp(objectProfile, NOW);
      return post(sb, op.path, `{"ak":"${ACCOUNT.ak}","timestamp":"${timestamp}","sign":"${nhsaSign(ACCOUNT.ak, timestamp, ACCOUNT.sk, signed)}","param":${raw}}`);
    };
    expect((await send(JSON.stringify(JSON.parse(raw)))).json.code).toBe(1002);
    expect(sb.stats().stored).toBe(0);
    const ok = await send(raw);
    expect(readUploadAnswer(objectProfile, op, ok.text).kind).toBe('taken');
    expect(sb.rows()[0]!.fields).toMatchObject({ med_list_codg: 'XA01é', manu_lotnum: 'B"7', pac_lv: 1 });
  });
});

describe('NHSA sandbox: refusals store nothing', () => {
  const profile = builtInNhsaProfile();
  const small = variant((p) => {
    p.operations.circulation.maxRecords = 2;
  });
  const circ = profile.operations.circulation;
  let sb: NhsaSandbox;
  let smallSb: NhsaSandbox;
  beforeAll(async () => {
    sb = await startNhsaSandbox({ profile, accounts: [ACCOUNT], port: 0, now: () => NOW });
    smallSb = await startNhsaSandbox({ profile: small, accounts: [ACCOUNT], port: 0, now: () => NOW });
  });
  afterAll(async () => {
    await Promise.all([sb.close(), smallSb.close()]);
  });

  const good = () => packed(profile, 'circulation', [movement('81000000000000000001')]);
  const header = () => headerOf(profile, movement('x'));
  const ts = (ms: number) => stamp(profile, ms);
  const parts = () => ({ ak: ACCOUNT.ak, timestamp: ts(NOW), sign: nhsaSign(ACCOUNT.ak, ts(NOW), ACCOUNT.sk, good()), param: good() });

  const cases: Array<[string, () => string, number, RegExp?]> = [
    ['a body that is not JSON', () => '{"ak":', 1004, /不是合法的 JSON/],
    ['a body that is a JSON array', () => '[]', 1004, /不是 JSON 对象/],
    ['a missing sign', () => JSON.stringify({ ...parts(), sign: undefined }), 1004, /sign 缺失/],
    ['an ak that is not a string', () => JSON.stringify({ ...parts(), ak: 42 }), 1004, /ak 必须是字符串/],
    ['param as an object when the profile says string', () => JSON.stringify({ ...parts(), param: JSON.parse(good()) as unknown }), 1004, /param 必须是字符串/],
    ['an ak over 50 characters', () => envelope(profile, good(), { account: { ...ACCOUNT, ak: 'A'.repeat(51) } }), 1004, /ak 超长（51 > 50）/],
    ['a param over 1024 characters', () => envelope(profile, JSON.stringify({ ...header(), data_list: [{ drug_trac_codg: 'x', bill_type: 'y'.repeat(1024) }] })), 1004, /param 超长/],
    ['an unknown ak', () => envelope(profile, good(), { account: { ...ACCOUNT, ak: 'AK-nobody' } }), 1001],
    ['a stale timestamp', () => envelope(profile, good(), { timestamp: ts(NOW - 301_000) }), 1003],
    ['a future timestamp', () => envelope(profile, good(), { timestamp: ts(NOW + 301_000) }), 1003],
    ['a timestamp that is not digits', () => envelope(profile, good(), { timestamp: new Date(NOW).toISOString() }), 1003],
    ['a signature made with another sk', () => envelope(profile, good(), { account: { ...ACCOUNT, sk: 'wrong' } }), 1002],
    ['a signature in upper case', () => envelope(profile, good(), { sign: nhsaSign(ACCOUNT.ak, ts(NOW), ACCOUNT.sk, good()).toUpperCase() }), 1002],
    ['a signature over re-serialised param text', () => envelope(profile, good(), { signed: JSON.stringify(JSON.parse(good()), null, 2) }), 1002],
    ['param text that is not JSON', () => envelope(profile, '{data_list:[]}'), 1004, /param 不是合法的 JSON/],
    ['param text that is a JSON array', () => envelope(profile, '[{"drug_trac_codg":"x"}]'), 1004, /param 不是 JSON 对象/],
    ['an empty record list', () => envelope(profile, JSON.stringify({ ...header(), data_list: [] })), 1005],
    ['a record list that is not an array', () => envelope(profile, JSON.stringify({ ...header(), data_list: { drug_trac_codg: 'x' } })), 1005],
    ['a missing required header field', () => envelope(profile, JSON.stringify({ ...header(), bill_no: undefined, data_list: [{ drug_trac_codg: 'x' }] })), 1006, /bill_no/],
    ['an over-long header field', () => envelope(profile, JSON.stringify({ ...header(), rcv_entp_uscc: '9'.repeat(19), data_list: [{ drug_trac_codg: 'x' }] })), 1006, /rcv_entp_uscc 超长/],
    ['a header value outside the profile values', () => envelope(profile, JSON.stringify({ ...header(), flow_dir: 'in', data_list: [{ drug_trac_codg: 'x' }] })), 1006, /flow_dir 取值无效/],
    ['an unknown header field', () => envelope(profile, JSON.stringify({ ...header(), billNo: 'x', data_list: [{ drug_trac_codg: 'x' }] })), 1006, /未知字段 billNo/],
  ];

  it.each(cases)('refuses %s', async (_what, body, code, message) => {
    const res = await post(sb, circ.path, body());
    expect(res.status).toBe(200);
    expect(res.json.code).toBe(code);
    if (message) expect(String(res.json.message)).toMatch(message);
    expect(res.json.timestamp).toBe(String(Math.floor(NOW / 1000)));
    expect(readUploadAnswer(profile, circ, res.text)).toMatchObject({ kind: 'refused', code: String(code) });
    expect(sb.stats().stored).toBe(0);
  });

  it('tells the client its clock is off (clockCodes) and gives the server time', async () => {
    const res = await post(sb, circ.path, envelope(profile, good(), { timestamp: ts(NOW - 3_600_000) }));
    expect(readUploadAnswer(profile, circ, res.text)).toMatchObject({ kind: 'refused', code: '1003', clock: true, serverTime: Math.floor(NOW / 1000) * 1000 });
  });

  it('refuses more records than the operation takes in one call', async () => {
    // Built by hand: packCall itself never packs more than maxRecords.
    const text = JSON.stringify({ ...headerOf(small, movement('x')), data_list: [{ drug_trac_codg: 'T1' }, { drug_trac_codg: 'T2' }, { drug_trac_codg: 'T3' }] });
    const res = await post(smallSb, circ.path, envelope(small, text));
    expect(res.json).toMatchObject({ code: 1005 });
    expect(smallSb.stats()).toMatchObject({ stored: 0, refusals: { '1005': 1 } });
  });

  it('answers 404 for an unknown path and 405 for a method other than POST', async () => {
    const missing = await post(sb, '/trac/api/nothing', envelope(profile, good()));
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe(404);
    const get = await fetch(sb.url + circ.path);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { code: number }).code).toBe(405);
    expect(sb.stats().stored).toBe(0);
  });
});

describe('NHSA sandbox: queries', () => {
  const profile = builtInNhsaProfile();

  it('answers by code, by batch and by upload date, only with the caller’s rows, paged', async () => {
    let clock = NOW;
    const sb = await sandbox({ now: () => clock });
    const hierarchy: CanonicalRecord = { traceCode: 'T1', packLevel: 1, nhsaCode: 'XA01', batch: 'B1', expiry: '2028-01-31' };
    expect((await upload(sb, profile, 'traceCode', [hierarchy])).answer.kind).toBe('taken');
    await upload(sb, profile, 'circulation', [movement('T1', { batch: 'B1' }), movement('T2', { batch: 'B1' }), movement('T3', { batch: 'B2' })]);
    await upload(sb, profile, 'circulation', [movement('T1', { batch: 'B1' })], { account: OTHER });
    clock = NOW + DAY;
    await upload(sb, profile, 'circulation', [movement('T1', { direction: 'out', documentNumber: 'CK-1', batch: 'B1' })], { timestamp: stamp(profile, clock) });

    const byCode = await query(sb, profile, 'queryByCode', { drug_trac_codg: 'T1' }, { timestamp: stamp(profile, clock) });
    if (!byCode.answer.ok) throw new Error(byCode.text);
    expect(byCode.answer.total).toBe(3);
    expect(byCode.answer.rows.map((r) => [r.upld_type, r.flow_dir ?? null, r.upld_time])).toEqual([
      ['trace_code', null, '2026-01-15 10:00:00'],
      ['circulation', '1', '2026-01-15 10:00:00'],
      ['circulation', '2', '2026-01-16 10:00:00'],
    ]);

    const pages = await Promise.all(
      [1, 2, 3].map((page) => query(sb, profile, 'queryByCode', { drug_trac_codg: 'T1', page_num: page, page_size: '2' }, { timestamp: stamp(profile, clock) })),
    );
    expect(pages.map((p) => (p.answer.ok ? [p.answer.rows.length, p.answer.total] : p.text))).toEqual([[2, 3], [1, 3], [0, 3]]);

    const byBatch = await query(sb, profile, 'queryByBatch', { manu_lotnum: 'B1' }, { timestamp: stamp(profile, clock) });
    expect(byBatch.answer.ok && byBatch.answer.rows.map((r) => r.drug_trac_codg)).toEqual(['T1', 'T1', 'T2', 'T1']);

    const day1 = await query(sb, profile, 'queryByDate', { upld_date: '2026-01-15' }, { timestamp: stamp(profile, clock) });
    const day2 = await query(sb, profile, 'queryByDate', { upld_date: '2026-01-16' }, { timestamp: stamp(profile, clock) });
    expect(day1.answer.ok && day1.answer.total).toBe(4);
    expect(day2.answer.ok && day2.answer.rows.map((r) => r.bill_no)).toEqual(['CK-1']);

    const other = await query(sb, profile, 'queryByCode', { drug_trac_codg: 'T1' }, { account: OTHER, timestamp: stamp(profile, clock) });
    expect(other.answer.ok && other.answer.total).toBe(1);
  });

  it('caps the page size at the operation’s and refuses bad query parameters', async () => {
    const tiny = variant((p) => {
      p.operations.queryByDate.pageSize = 2;
    });
    const sb = await sandbox({ profile: tiny });
    await upload(sb, tiny, 'circulation', [movement('T1'), movement('T2'), movement('T3')]);
    const capped = await query(sb, tiny, 'queryByDate', { upld_date: '2026-01-15', page_size: 50 });
    expect(capped.answer.ok && [capped.answer.rows.length, capped.answer.total]).toEqual([2, 3]);
    for (const bad of [{ upld_date: '2026-02-30' }, { upld_date: '2026-01-15', page_num: 0 }, { upld_date: '2026-01-15', date: 'x' }, {}]) {
      const res = await query(sb, tiny, 'queryByDate', bad);
      expect(res.json.code, JSON.stringify(bad)).toBe(1006);
      expect(res.answer.ok).toBe(false);
    }
  });
});

describe('NHSA sandbox: faults', () => {
  const profile = builtInNhsaProfile();
  const one = (code: string) => [movement(code)];

  it('5xx: a gateway error, nothing stored', async () => {
    const sb = await sandbox();
    sb.forceFaults(['5xx', '5xx', '5xx']);
    const statuses = [];
    for (const code of ['T1', 'T2', 'T3']) statuses.push((await upload(sb, profile, 'circulation', one(code))).status);
    for (const s of statuses) expect([500, 502, 503]).toContain(s);
    expect(sb.stats()).toMatchObject({ stored: 0, faults: { '5xx': 3 }, calls: { circulation: 3 } });
    expect((await upload(sb, profile, 'circulation', one('T4'))).status).toBe(200);
  });

  it('timeout: no answer, the socket is dropped after hangMs, nothing stored', async () => {
    const sb = await sandbox();
    sb.setFaults({ hangMs: 120 });
    sb.forceFaults(['timeout']);
    const started = Date.now();
    await expect(upload(sb, profile, 'circulation', one('T1'))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(sb.stats()).toMatchObject({ stored: 0, faults: { timeout: 1 } });
  });

  it('drop-after-store: the record IS stored although the client never hears so', async () => {
    const sb = await sandbox();
    sb.forceFaults(['drop-after-store']);
    await expect(upload(sb, profile, 'circulation', one('T1'))).rejects.toThrow();
    expect(sb.rows().map((r) => r.fields.drug_trac_codg)).toEqual(['T1']);
    expect(sb.stats().faults['drop-after-store']).toBe(1);
  });

  it('slow: stored, and answered after slowMs', async () => {
    const sb = await sandbox();
    sb.setFaults({ slowMs: 150 });
    sb.forceFaults(['slow']);
    const started = Date.now();
    const res = await upload(sb, profile, 'circulation', one('T1'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.answer.kind).toBe('taken');
    expect(sb.stats()).toMatchObject({ stored: 1, faults: { slow: 1 } });
  });

  it('leaves queries alone unless applyToQueries, and validates fault input', async () => {
    const sb = await sandbox();
    sb.forceFaults(['5xx']);
    expect((await query(sb, profile, 'queryByCode', { drug_trac_codg: 'T1' })).status).toBe(200);
    sb.setFaults({ applyToQueries: true });
    expect((await query(sb, profile, 'queryByCode', { drug_trac_codg: 'T1' })).status).toBeGreaterThanOrEqual(500);
    expect(() => sb.setFaults({ rate: 2 })).toThrow();
    expect(() => sb.forceFaults(['meltdown' as never])).toThrow();
  });

  it('random faults follow the seed', async () => {
    const run = async () => {
      const sb = await sandbox();
      sb.setFaults({ rate: 0.5, kinds: ['5xx'], seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await upload(sb, profile, 'circulation', one(`T${i}`))).status === 200 ? 200 : 500);
      expect(sb.stats().stored).toBe(statuses.filter((s) => s === 200).length);
      return statuses;
    };
    const first = await run();
    expect(first).toContain(200);
    expect(first).toContain(500);
    expect(await run()).toEqual(first);
  });

  it('is controlled over HTTP when standalone', async () => {
    const sb = await sandbox();
    const bad = await post(sb, '/__sandbox/faults', JSON.stringify({ rate: -1 }));
    expect(bad.status).toBe(400);
    const set = await post(sb, '/__sandbox/faults', JSON.stringify({ slowMs: 10, force: ['slow'] }));
    expect(set.json).toMatchObject({ faults: { slowMs: 10, rate: 0 } });
    await upload(sb, profile, 'circulation', one('T1'));
    await upload(sb, profile, 'traceCode', [{ traceCode: 'T1', packLevel: 1, nhsaCode: 'XA01', batch: 'B1', expiry: '2028-01-31' }]);
    const stats = (await (await fetch(`${sb.url}/__sandbox/stats`)).json()) as Record<string, unknown>;
    expect(stats).toMatchObject({ stored: 2, faults: { slow: 1 }, duplicates: [] });
    const rows = (await (await fetch(`${sb.url}/__sandbox/rows?queryType=trace_code`)).json()) as unknown[];
    expect(rows).toHaveLength(1);
    expect((await fetch(`${sb.url}/__sandbox/rows?nope=1`)).status).toBe(400);
  });
});

describe('NHSA sandbox: duplicates, renamed profile, restart', () => {
  const profile = builtInNhsaProfile();

  it('stores a record sent twice and counts it in duplicates()', async () => {
    const sb = await sandbox();
    await upload(sb, profile, 'circulation', [movement('T1'), movement('T2')]);
    await upload(sb, profile, 'circulation', [movement('T1')]);
    // Same code on another document or direction is another record, not a duplicate.
    await upload(sb, profile, 'circulation', [movement('T2', { documentNumber: 'RK-2' })]);
    await upload(sb, profile, 'circulation', [movement('T3')]);
    await upload(sb, profile, 'circulation', [movement('T2', { direction: 'out' })]);
    expect(sb.rows()).toHaveLength(6);
    expect(sb.duplicates()).toEqual([{ identity: JSON.stringify([ACCOUNT.ak, 'circulation', 'T1', 'RK-2026-0001', '1']), count: 2 }]);
  });

  it('works end to end with a profile whose paths, fields and answer paths are all renamed', async () => {
    const names: Record<string, string> = { drug_trac_codg: 'trace_no', manu_lotnum: 'lot_no', bill_no: 'doc_no', flow_dir: 'direction_flag' };
    const renamed = variant((p) => {
      p.envelope.timestampUnit = 'milliseconds';
      p.response = { code: 'head.status', successCodes: ['0000'], message: 'head.msg', serverTime: 'head.time', failures: { list: 'body.errors', message: 'reason' }, clockCodes: [1003] };
      p.query = { list: 'body.rows', total: 'body.count', typeField: 'kind' };
      for (const op of Object.values(p.operations)) {
        op.path = op.path.replace('/trac/api/', '/v9/trace/');
        if ('listField' in op) {
          op.listField = 'records';
          for (const f of [...op.header, ...op.item]) f.name = names[f.name] ?? f.name;
        }
      }
      p.operations.queryByCode.params = { code: 'trace_no', page: 'pg', pageSize: 'size' };
      p.operations.queryByBatch.params = { batch: 'lot_no', page: 'pg', pageSize: 'size' };
      p.operations.queryByDate.params = { date: 'day', page: 'pg', pageSize: 'size' };
    });
    const sb = await sandbox({ profile: renamed });
    const circ = renamed.operations.circulation;
    expect(circ.path).toBe('/v9/trace/dist/circulation/upload');

    const res = await upload(sb, renamed, 'circulation', [movement('T1'), movement('T2')]);
    expect(res.json).toMatchObject({ head: { status: '0000', msg: '成功' }, body: { success_count: 2, errors: [] } });
    expect(res.answer).toMatchObject({ kind: 'taken', serverTime: Math.floor(NOW / 1000) * 1000 });
    expect(sb.rows()[0]!.fields).toMatchObject({ trace_no: 'T1', lot_no: 'B2026001', doc_no: 'RK-2026-0001', direction_flag: '1' });

    const partial = await post(sb, circ.path, envelope(renamed, JSON.stringify({ ...headerOf(renamed, movement('x')), records: [{ trace_no: 'T3' }, { trace_no: 'T4', lot_no: 'x'.repeat(31) }] })));
    const answer = readUploadAnswer(renamed, circ, partial.text);
    expect(answer.kind === 'taken' && [...answer.failures.keys()]).toEqual(['T4']);

    const refused = await upload(sb, renamed, 'circulation', [movement('T5')], { timestamp: String(NOW - 400_000) });
    expect(refused.answer).toMatchObject({ kind: 'refused', code: '1003', clock: true });

    const byCode = await query(sb, renamed, 'queryByCode', { trace_no: 'T1', pg: 1, size: 10 });
    expect(byCode.answer).toMatchObject({ ok: true, total: 1, rows: [{ trace_no: 'T1', kind: 'circulation' }] });
    const byBatch = await query(sb, renamed, 'queryByBatch', { lot_no: 'B2026001' });
    expect(byBatch.answer.ok && byBatch.answer.rows.map((r) => r.trace_no)).toEqual(['T1', 'T2']);
    const byDate = await query(sb, renamed, 'queryByDate', { day: '2026-01-15', size: 2, pg: 2 });
    expect(byDate.answer.ok && byDate.answer.rows.map((r) => r.trace_no)).toEqual(['T3']);
    expect((await post(sb, '/trac/api/dist/circulation/upload', envelope(renamed, packed(renamed, 'circulation', [movement('T9')])))).status).toBe(404);
  });

  it('keeps what it accepted across a restart (storeFile), cutting a line torn by a crash', async () => {
    const storeFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nhsa-sandbox-')), 'sandbox', 'nhsa-store.jsonl');
    const first = await sandbox({ storeFile });
    await upload(first, profile, 'circulation', [movement('T1'), movement('T2')]);
    await first.close();
    fs.appendFileSync(storeFile, '{"seq":3,"ak":"AK-te');

    const second = await sandbox({ storeFile });
    expect(second.rows().map((r) => [r.seq, r.fields.drug_trac_codg])).toEqual([
      [1, 'T1'],
      [2, 'T2'],
    ]);
    await upload(second, profile, 'circulation', [movement('T1')]);
    expect(second.rows().map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(second.duplicates()).toHaveLength(1);
    const byCode = await query(second, profile, 'queryByCode', { drug_trac_codg: 'T2' });
    expect(byCode.answer.ok && byCode.answer.total).toBe(1);
    expect(fs.readFileSync(storeFile, 'utf8').trim().split('\n')).toHaveLength(3);
  });
});
