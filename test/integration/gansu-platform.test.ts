import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { classifySaveAnswer, isTokenSpent, parseProblems, problemsByRow, type GansuAnswer } from '../../server/platforms/gansu/answers.js';
import { GansuClient, type SaveOutcome } from '../../server/platforms/gansu/client.js';
import { AccountPacer } from '../../server/platforms/gansu/pacer.js';
import { checkRow, GANSU_MAX_ROWS, gansuSaleRowSchema, type GansuSaleRow } from '../../server/platforms/gansu/rows.js';
import { encryptPassword, gansuPublicKey } from '../../server/platforms/gansu/rsa.js';
import { decryptPassword, startGansuSandbox, type GansuSandbox, type GansuSandboxAccount, type GansuSandboxOptions } from '../../server/platforms/sandbox/gansu/index.js';

// 2026-01-15 10:00:00 China time. The sandbox runs on a fake clock that each test moves, so the
// 1 call/s limit costs no real seconds.
const NOW = Date.UTC(2026, 0, 15, 2, 0, 0);
const STORE_1 = { uscc: '91620100MA71ABCD1X', name: '兰州测试大药房连锁有限公司一店', appKey: 'AK-store-one-0001' };
const STORE_2 = { uscc: '91620100MA71ABCD2Y', name: '兰州测试大药房连锁有限公司二店', appKey: 'AK-store-two-0002' };
const FOREIGN = { uscc: '91620500MA72WXY03K', name: '天水另一家药店', appKey: 'AK-foreign-0003' };
const CHAIN: GansuSandboxAccount = { loginId: '91620100MA71ABCD00', password: 'Gs#2026pass!Word', stores: [STORE_1, STORE_2] };
const OTHER: GansuSandboxAccount = { loginId: '91620500MA72WXY000', password: '另一个密码Abc#123', stores: [FOREIGN] };

const started: GansuSandbox[] = [];
const tempDirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
afterAll(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tracedock-gansu-'));
  tempDirs.push(d);
  return d;
};

interface Rig {
  sb: GansuSandbox;
  client: GansuClient;
  clock: { ms: number };
  /** Moves the sandbox clock past the rate limit. */
  tick(ms?: number): void;
  token(account?: GansuSandboxAccount): Promise<string>;
  save(rows: GansuSaleRow[], o?: { token?: string; appKey?: string; account?: GansuSandboxAccount }): Promise<{ token: string; out: SaveOutcome }>;
}

/** One key pair for the client tests: generating 2048-bit keys per sandbox costs time for nothing. */
let sharedKey: string | undefined;
const keyPem = () => (sharedKey ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());

async function rig(o: Partial<GansuSandboxOptions> = {}, timeoutMs = 3_000): Promise<Rig> {
  const clock = { ms: NOW };
  const sb = await startGansuSandbox({ accounts: [CHAIN, OTHER], now: () => clock.ms, privateKeyPem: keyPem(), ...o });
  started.push(sb);
  const client = new GansuClient({ baseUrl: sb.url, timeoutMs });
  const token = async (account = CHAIN) => {
    const t = await client.getToken(account.loginId, encryptPassword(sb.publicKeyBase64, account.password));
    if (!t.ok) throw new Error(`no token: ${JSON.stringify(t)}`);
    return t.token;
  };
  return {
    sb,
    client,
    clock,
    tick: (ms = 1_000) => void (clock.ms += ms),
    token,
    save: async (rows, s = {}) => {
      const t = s.token ?? (await token(s.account));
      return { token: t, out: await client.saveSaleData(t, s.appKey ?? STORE_1.appKey, rows) };
    },
  };
}

let serial = 0;
/** A valid, distinct row of a store (each call of `sale` differs in drugName and saleTime). */
function sale(store = STORE_1, over: Partial<Record<keyof GansuSaleRow, unknown>> = {}): GansuSaleRow {
  serial++;
  return {
    drugType: 'YC',
    drugName: `复方盐酸伪麻黄碱缓释胶囊 #${serial}`,
    quantity: 1,
    purchaserName: '张三',
    purchaserId: '620102199001011234',
    purchaserPhone: '13800000000',
    purchaserResidence: '甘肃省兰州市城关区',
    drugstoreName: store.name,
    drugstoreTyshxydm: store.uscc,
    saleTime: Math.floor(NOW / 1000) - serial,
    approvalNo: '国药准字H20000001',
    dataSource: '1',
    ...over,
  } as GansuSaleRow;
}

const answered = (out: SaveOutcome) => {
  if (out.phase !== 'answered') throw new Error(`expected an answer, got ${JSON.stringify(out)}`);
  return out;
};

function opensslDecrypt(privateKeyPem: string, base64: string, mode: 'pkcs1' | 'oaep' = 'pkcs1', encoding: 'base64' | 'hex' = 'base64'): string {
  const dir = tempDir();
  const keyFile = path.join(dir, 'key.pem');
  fs.writeFileSync(keyFile, privateKeyPem, { mode: 0o600 });
  return execFileSync('openssl', ['pkeyutl', '-decrypt', '-inkey', keyFile, '-pkeyopt', `rsa_padding_mode:${mode}`], { input: Buffer.from(base64, encoding) }).toString('utf8');
}

describe('Gansu RSA password', () => {
  it('encrypts with PKCS#1 v1.5 + base64 so that openssl decrypts it to the password, differently every time', async () => {
    const sb = await startGansuSandbox();
    started.push(sb);
    for (const password of ['Gs#2026pass!Word', '甘肃药监·密码#9xY!', 'p@ss w0rd+/=%&?']) {
      const a = encryptPassword(sb.publicKeyPem, password);
      const b = encryptPassword(sb.publicKeyPem, password);
      expect(a).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(Buffer.from(a, 'base64')).toHaveLength(256);
      expect(a).not.toBe(b);
      expect(opensslDecrypt(sb.privateKeyPemForTests, a)).toBe(password);
      expect(opensslDecrypt(sb.privateKeyPemForTests, b)).toBe(password);
    }
  });

  it('takes SPKI PEM, PKCS#1 PEM and the bare base64 DER body (with line breaks), and the configurable variants', async () => {
    const sb = await startGansuSandbox();
    started.push(sb);
    const pkcs1 = createPublicKey(sb.publicKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(pkcs1).toContain('BEGIN RSA PUBLIC KEY');
    const wrapped = sb.publicKeyBase64.replace(/(.{64})/g, '$1\r\n');
    const password = '甘肃药监·密码#9xY!';
    for (const key of [sb.publicKeyPem, pkcs1, sb.publicKeyBase64, wrapped, `  ${sb.publicKeyBase64}\n`]) {
      expect(opensslDecrypt(sb.privateKeyPemForTests, encryptPassword(key, password))).toBe(password);
    }
    expect(opensslDecrypt(sb.privateKeyPemForTests, encryptPassword(sb.publicKeyBase64, password, { padding: 'oaep' }), 'oaep')).toBe(password);
    const hex = encryptPassword(sb.publicKeyBase64, password, { encoding: 'hex' });
    expect(hex).toMatch(/^[0-9a-f]{512}$/);
    expect(opensslDecrypt(sb.privateKeyPemForTests, hex, 'pkcs1', 'hex')).toBe(password);

    // The sandbox's own v1.5 unpadding agrees, and refuses what is not a v1.5 block.
    const key = gansuPublicKey(sb.publicKeyBase64);
    const priv = createPrivateKey(sb.privateKeyPemForTests);
    expect(decryptPassword(priv, encryptPassword(key, password), 'pkcs1')).toBe(password);
    expect(decryptPassword(priv, encryptPassword(key, password, { padding: 'oaep' }), 'pkcs1')).toBeNull();
    expect(decryptPassword(priv, Buffer.alloc(256, 1).toString('base64'), 'pkcs1')).toBeNull();
    expect(decryptPassword(priv, 'not base64!', 'pkcs1')).toBeNull();

    expect(() => gansuPublicKey('not a key!')).toThrow(/neither PEM nor base64/);
    expect(() => gansuPublicKey(sb.privateKeyPemForTests)).toThrow(/private key/);
    expect(() => gansuPublicKey('QUJD')).toThrow(/not a DER/);
    expect(() => encryptPassword(sb.publicKeyPem, 'x'.repeat(246))).toThrow(/do not fit/);
  });
});

describe('Gansu sale rows', () => {
  it('checkRow and gansuSaleRowSchema agree, with the platform’s Chinese wording and English', () => {
    const good = sale();
    expect(checkRow(good)).toEqual([]);
    expect(gansuSaleRowSchema.safeParse(good).success).toBe(true);
    const minimal = sale(STORE_1, { drugType: 'YB,YD', purchaserName: undefined, purchaserId: undefined, purchaserPhone: '', purchaserResidence: undefined });
    expect(checkRow(minimal)).toEqual([]);
    expect(gansuSaleRowSchema.safeParse(minimal).success).toBe(true);

    const bad: Array<[Partial<Record<string, unknown>>, string, RegExp]> = [
      [{ drugName: '' }, '药品名称不能为空', /drug name/],
      [{ drugName: '   ' }, '药品名称不能为空', /required/],
      [{ purchaserName: '名'.repeat(301) }, '购买人名称不大于 300', /longer than 300/],
      [{ drugType: 'YX' }, '药品类型只能是', /YB, YC, YD/],
      [{ drugType: 'YB,YB' }, '药品类型重复', /repeats/],
      [{ drugType: 'YB, YC' }, '药品类型只能是', /YB/],
      [{ quantity: 0 }, '销售数量应在 1 到', /quantity/],
      [{ quantity: 1.5 }, '销售数量应为整数', /integer/],
      [{ quantity: '1' }, '销售数量应为整数', /integer/],
      [{ saleTime: NOW }, '销售时间应为以秒计的 Unix 时间戳', /milliseconds/],
      [{ drugstoreTyshxydm: '9162010' }, '药店统一社会信用代码应为 18 位', /18-character/],
      [{ dataSource: '4' }, '数据来源只能是', /ERP/],
      [{ dataSource: 1 }, '数据来源应为字符串', /string/],
      [{ approvalNo: undefined }, '批准文号不能为空', /approval number/],
      [{ purchaserPhone: 'call me' }, '购买人联系电话只能包含', /digits/],
      [{ purchaserId: null }, '购买人身份证号码不能为 null', /not null/],
      [{ extra: 'x' }, '未知字段 extra', /unknown field/],
    ];
    for (const [over, zh, en] of bad) {
      const row = { ...sale(), ...over };
      if ('approvalNo' in over && over.approvalNo === undefined) delete (row as Record<string, unknown>).approvalNo;
      const problems = checkRow(row);
      expect(problems.length, JSON.stringify(over)).toBeGreaterThan(0);
      expect(problems[0]!['zh-CN']).toContain(zh);
      expect(problems[0]!.en).toMatch(en);
      expect(gansuSaleRowSchema.safeParse(row).success, JSON.stringify(over)).toBe(false);
    }
    expect(checkRow([])).toHaveLength(1);
    expect(checkRow(null)[0]!.en).toMatch(/JSON object/);
  });
});

describe('Gansu answers (the guide’s example bodies)', () => {
  const a = (code: number | null, msg: string, data?: unknown, httpStatus = 200): GansuAnswer => ({ httpStatus, code, msg, data });

  it('classifies by code and, for 452/454, by the message', () => {
    expect(classifySaveAnswer(a(200, '请求成功'))).toEqual({ kind: 'accepted' });
    // The guide's own example: 452 with "参数检验失败" and the problems as one string.
    const seed = classifySaveAnswer(a(452, '参数检验失败', '药品名称不能为空 ,购买人名称不大于 300'));
    expect(seed).toMatchObject({ kind: 'rejected-rows', problems: [{ row: null, text: '药品名称不能为空' }, { row: null, text: '购买人名称不大于 300' }] });
    expect(classifySaveAnswer(a(452, '超出最大条数限制'))).toMatchObject({ kind: 'too-many-rows' });
    expect(classifySaveAnswer(a(452, ''))).toMatchObject({ kind: 'too-many-rows' });
    expect(classifySaveAnswer(a(454, '超出最大条数限制'))).toMatchObject({ kind: 'too-many-rows' });
    expect(classifySaveAnswer(a(454, '参数检验失败', '第2行：药品名称不能为空'))).toMatchObject({ kind: 'rejected-rows', problems: [{ row: 2, text: '药品名称不能为空' }] });
    expect(classifySaveAnswer(a(402, 'token 失效'))).toMatchObject({ kind: 'token-invalid' });
    expect(isTokenSpent(a(402, 'token 失效'))).toBe(true);
    expect(isTokenSpent(a(453, '接口调用频率过快'))).toBe(false);
    expect(classifySaveAnswer(a(453, '接口调用频率过快'))).toMatchObject({ kind: 'too-fast', retryAfterMs: 1000 });
    for (const code of [400, 401, 404, 406]) expect(classifySaveAnswer(a(code, 'x'))).toMatchObject({ kind: 'refused', code });
    for (const code of [408, 500, 502, 999]) expect(classifySaveAnswer(a(code, 'x'))).toMatchObject({ kind: 'unknown', code });
    expect(classifySaveAnswer(a(null, '<html>', undefined, 200))).toMatchObject({ kind: 'unknown', code: null });
    expect(classifySaveAnswer(a(null, 'Not Found', undefined, 404))).toMatchObject({ kind: 'refused', code: 404 });
    expect(classifySaveAnswer(a(499, 'Token 已过期'))).toMatchObject({ kind: 'token-invalid' });
  });

  it('attributes problems to 1-based rows and keeps call-wide ones apart', () => {
    const p = parseProblems('第1行：药品名称不能为空；第1行：购买人名称不大于 300；第3行：药品类型只能是 YB、YC、YD 之一（YB,YX），数据来源不能为空；row 4: quantity must be an integer；……共 9 处问题');
    expect(p).toEqual([
      { row: 1, text: '药品名称不能为空' },
      { row: 1, text: '购买人名称不大于 300' },
      { row: 3, text: '药品类型只能是 YB、YC、YD 之一（YB,YX）' },
      { row: 3, text: '数据来源不能为空' },
      { row: 4, text: 'quantity must be an integer' },
      { row: null, text: '……共 9 处问题' },
    ]);
    expect([...problemsByRow(p).keys()]).toEqual([1, 3, 4, 0]);
    expect(parseProblems(['第2行：a', { row: 5, msg: 'b' }])).toEqual([{ row: 2, text: 'a' }, { row: 5, text: 'b' }]);
    expect(parseProblems(null)).toEqual([]);
  });
});

describe('Gansu pacer', () => {
  it('never lets two calls of one account start less than a second apart (fake clock), other accounts unhindered', async () => {
    // A virtual clock: sleeps resolve in time order, the clock jumping to each one's end.
    let t = 1_000_000;
    const sleepers: Array<{ at: number; wake: () => void }> = [];
    const sleep = (ms: number) => new Promise<void>((wake) => sleepers.push({ at: t + ms, wake }));
    const pacer = new AccountPacer({ now: () => t, sleep, marginMs: 50 });
    const starts: Array<[string, number]> = [];
    const call = async (id: string) => {
      await pacer.turn(id);
      starts.push([id, t]);
    };
    const run = async (calls: Array<Promise<void>>) => {
      const all = Promise.all(calls);
      for (;;) {
        await new Promise((r) => setImmediate(r));
        if (sleepers.length === 0) break;
        sleepers.sort((x, y) => x.at - y.at);
        const next = sleepers.shift()!;
        t = Math.max(t, next.at);
        next.wake();
      }
      await all;
    };
    await run([call('A'), call('A'), call('A'), call('B'), call('A')]);
    await run([call('B')]);
    pacer.holdOff('B', 5_000);
    const held = t;
    await run([call('B')]);
    const of = (id: string) => starts.filter(([x]) => x === id).map(([, ms]) => ms).sort((x, y) => x - y);
    const a = of('A');
    expect(a).toHaveLength(4);
    for (let i = 1; i < a.length; i++) expect(a[i]! - a[i - 1]!).toBeGreaterThanOrEqual(1_050);
    const b = of('B');
    expect(b[0]).toBe(1_000_000);
    for (let i = 1; i < b.length; i++) expect(b[i]! - b[i - 1]!).toBeGreaterThanOrEqual(1_050);
    expect(b[2]! - held).toBeGreaterThanOrEqual(5_000);
  });

  it('with the real clock, paced calls pass the sandbox’s 1 call/s check', async () => {
    const sb = await startGansuSandbox({ accounts: [CHAIN] });
    started.push(sb);
    const client = new GansuClient({ baseUrl: sb.url, timeoutMs: 3_000 });
    const pacer = new AccountPacer();
    const codes: Array<number | null> = [];
    for (let i = 0; i < 2; i++) {
      const t = await client.getToken(CHAIN.loginId, encryptPassword(sb.publicKeyPem, CHAIN.password));
      if (!t.ok) throw new Error('no token');
      await pacer.turn(CHAIN.loginId);
      const out = answered(await client.saveSaleData(t.token, STORE_1.appKey, [sale()]));
      codes.push(out.code);
    }
    expect(codes).toEqual([200, 200]);
    const [c1, c2] = sb.calls();
    expect(c2!.at - c1!.at).toBeGreaterThanOrEqual(1_000);
  });
});

describe('Gansu client against the sandbox', () => {
  it('getToken: a token for the right password, the guide’s 500 for a wrong one, and a + must be URL-encoded', async () => {
    const r = await rig();
    const ok = await r.client.getToken(CHAIN.loginId, encryptPassword(r.sb.publicKeyPem, CHAIN.password));
    expect(ok).toMatchObject({ ok: true });
    expect(ok.ok && ok.token).toMatch(/^[A-Za-z0-9_-]{36}$/);
    expect(await r.client.getToken(CHAIN.loginId, encryptPassword(r.sb.publicKeyPem, 'wrong-password'))).toEqual({
      ok: false,
      kind: 'refused',
      httpStatus: 200,
      code: 500,
      msg: '获取 token 失败，登录名或者密码错误',
    });
    expect(await r.client.getToken('91000000MA00000000', encryptPassword(r.sb.publicKeyPem, CHAIN.password))).toMatchObject({ ok: false, code: 500 });
    expect(await r.client.getToken(OTHER.loginId, encryptPassword(r.sb.publicKeyPem, OTHER.password))).toMatchObject({ ok: true });
    // A client that forgets to URL-encode: every + becomes a space and the password fails.
    let raw = encryptPassword(r.sb.publicKeyPem, CHAIN.password);
    while (!raw.includes('+')) raw = encryptPassword(r.sb.publicKeyPem, CHAIN.password);
    const res = await fetch(`${r.sb.url}/token/getToken?loginId=${CHAIN.loginId}&password=${raw}`, { method: 'POST' });
    expect(await res.json()).toMatchObject({ code: 500 });
    expect(r.sb.stats().tokens).toEqual({ issued: 2, refused: 3 });
    // Unreachable platform: not sent.
    const closed = new GansuClient({ baseUrl: 'http://127.0.0.1:1', timeoutMs: 500 });
    expect(await closed.getToken('x', 'y')).toMatchObject({ ok: false, kind: 'not-sent' });
    expect(await closed.saveSaleData('t', 'k', [sale()])).toMatchObject({ phase: 'not-sent', cause: 'transport' });
  });

  it('a token serves exactly one call; a fresh token per call succeeds', async () => {
    const r = await rig();
    const first = await r.save([sale(), sale()]);
    expect(answered(first.out)).toMatchObject({ httpStatus: 200, code: 200, msg: '请求成功', verdict: { kind: 'accepted' } });
    r.tick();
    const again = answered((await r.save([sale()], { token: first.token })).out);
    expect(again).toMatchObject({ code: 402, verdict: { kind: 'token-invalid' } });
    expect(isTokenSpent(again)).toBe(true);
    r.tick();
    expect(answered((await r.save([sale()])).out).code).toBe(200);
    expect(r.sb.rows()).toHaveLength(3);
    expect(r.sb.rows()[0]).toMatchObject({ loginId: CHAIN.loginId, appKey: STORE_1.appKey, uscc: STORE_1.uscc, token: first.token });
    expect(r.sb.calls().map((c) => [c.loginId, c.rowCount, c.code])).toEqual([
      [CHAIN.loginId, 2, 200],
      [CHAIN.loginId, 1, 402],
      [CHAIN.loginId, 1, 200],
    ]);
    // A token that was never issued, and a missing Authorization header.
    expect(answered(await r.client.saveSaleData('made-up', STORE_1.appKey, [sale()])).code).toBe(402);
    const res = await fetch(`${r.sb.url}/api/v1/saveSaleData`, { method: 'POST', headers: { appKey: STORE_1.appKey }, body: '[]' });
    expect(await res.json()).toMatchObject({ code: 402 });
  });

  it('453 when two calls of one account are less than a second apart; the refused token stays usable', async () => {
    const r = await rig();
    expect(answered((await r.save([sale()])).out).code).toBe(200);
    r.tick(999);
    const fast = await r.save([sale()]);
    expect(answered(fast.out)).toMatchObject({ code: 453, msg: '接口调用频率过快', verdict: { kind: 'too-fast', retryAfterMs: 1000 } });
    // Another account is not held back by this one.
    expect(answered((await r.save([sale(FOREIGN)], { account: OTHER, appKey: FOREIGN.appKey })).out).code).toBe(200);
    r.tick(1);
    expect(answered((await r.save([sale()], { token: fast.token })).out).code).toBe(200);
    expect(r.sb.rows({ loginId: CHAIN.loginId })).toHaveLength(2);
  });

  it('452 for 10 001 rows (the client refuses before sending), 10 000 are taken', async () => {
    const r = await rig();
    const many = Array.from({ length: GANSU_MAX_ROWS + 1 }, () => sale());
    const local = await r.save(many);
    expect(local.out).toMatchObject({ phase: 'not-sent', cause: 'too-many-rows' });
    expect(r.sb.calls()).toHaveLength(0);
    const res = await fetch(`${r.sb.url}/api/v1/saveSaleData`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: local.token, appKey: STORE_1.appKey },
      body: JSON.stringify(many),
    });
    expect(await res.json()).toMatchObject({ code: 452, msg: '超出最大条数限制' });
    expect(classifySaveAnswer({ httpStatus: 200, code: 452, msg: '超出最大条数限制', data: null })).toMatchObject({ kind: 'too-many-rows' });
    expect(r.sb.rows()).toHaveLength(0);
    r.tick();
    // The token was not spent by the 452; the 10 000 rows go in one call.
    expect(answered((await r.save(many.slice(0, GANSU_MAX_ROWS), { token: local.token })).out).code).toBe(200);
    expect(r.sb.stats().stored).toBe(GANSU_MAX_ROWS);
    expect(await r.client.saveSaleData(local.token, STORE_1.appKey, [])).toMatchObject({ phase: 'not-sent', cause: 'no-rows' });
  });

  it('454 lists the problems as 第N行 and stores nothing; the token is spent', async () => {
    const r = await rig();
    const rows = [sale(), sale(STORE_1, { drugName: '' }), sale(), sale(STORE_1, { purchaserName: '名'.repeat(301), saleTime: NOW })];
    const { token, out } = await r.save(rows);
    const a = answered(out);
    expect(a).toMatchObject({ code: 454, msg: '参数检验失败' });
    expect(a.data).toBe('第2行：药品名称不能为空；第4行：购买人名称不大于 300；第4行：销售时间应为以秒计的 Unix 时间戳');
    expect(a.verdict).toEqual({
      kind: 'rejected-rows',
      message: expect.any(String),
      problems: [
        { row: 2, text: '药品名称不能为空' },
        { row: 4, text: '购买人名称不大于 300' },
        { row: 4, text: '销售时间应为以秒计的 Unix 时间戳' },
      ],
    });
    expect(r.sb.rows()).toHaveLength(0);
    r.tick();
    expect(answered((await r.save([sale()], { token })).out).code).toBe(402);
    // Not an array, not JSON.
    for (const body of ['{"a":1}', 'nope']) {
      r.tick();
      const t = await r.token();
      const res = await fetch(`${r.sb.url}/api/v1/saveSaleData`, { method: 'POST', headers: { authorization: t, appKey: STORE_1.appKey }, body });
      expect(await res.json()).toMatchObject({ code: 454 });
    }
  });

  it('401 for a foreign appKey or a row of another store; a chain sends each store with its own appKey', async () => {
    const r = await rig();
    expect(answered((await r.save([sale()], { appKey: FOREIGN.appKey })).out)).toMatchObject({ code: 401, verdict: { kind: 'refused', code: 401 } });
    r.tick();
    const mixed = answered((await r.save([sale(STORE_1), sale(STORE_2)], { appKey: STORE_1.appKey })).out);
    expect(mixed).toMatchObject({ code: 401, data: '第2行：药店统一社会信用代码与授权码不匹配' });
    r.tick();
    expect(answered((await r.save([sale()], { appKey: 'AK-unknown' })).out).code).toBe(401);
    expect(r.sb.rows()).toHaveLength(0);

    r.tick();
    expect(answered((await r.save([sale(STORE_1), sale(STORE_1)], { appKey: STORE_1.appKey })).out).code).toBe(200);
    r.tick();
    expect(answered((await r.save([sale(STORE_2)], { appKey: STORE_2.appKey })).out).code).toBe(200);
    expect(r.sb.rows({ uscc: STORE_1.uscc })).toHaveLength(2);
    expect(r.sb.rows({ appKey: STORE_2.appKey }).map((s) => s.row.drugstoreTyshxydm)).toEqual([STORE_2.uscc]);
    expect(r.sb.rows({ loginId: CHAIN.loginId })).toHaveLength(3);
  });

  it('faults: 5xx, 402 and 453 store nothing and leave the token usable; slow stores and answers late', async () => {
    const r = await rig({}, 2_000);
    r.sb.forceFaults(['5xx']);
    const t5xx = await r.save([sale()]);
    expect(t5xx.out).toMatchObject({ phase: 'unknown', httpStatus: expect.any(Number) });
    expect(r.sb.rows()).toHaveLength(0);
    r.tick();
    expect(answered((await r.save([sale()], { token: t5xx.token })).out).code).toBe(200);
    expect(r.sb.stats().faults).toMatchObject({ '5xx': 1 });

    const r2 = await rig();
    r2.sb.forceFaults(['402']);
    const t402 = await r2.save([sale()]);
    expect(answered(t402.out)).toMatchObject({ code: 402, verdict: { kind: 'token-invalid' } });
    r2.tick();
    r2.sb.forceFaults(['453']);
    const t453 = await r2.save([sale()]);
    expect(answered(t453.out)).toMatchObject({ code: 453, verdict: { kind: 'too-fast' } });
    expect(r2.sb.rows()).toHaveLength(0);
    r2.tick();
    expect(answered((await r2.save([sale()], { token: t402.token })).out).code).toBe(200);
    r2.tick();
    expect(answered((await r2.save([sale()], { token: t453.token })).out).code).toBe(200);
    r2.tick();
    r2.sb.setFaults({ slowMs: 300 });
    r2.sb.forceFaults(['slow']);
    const began = performance.now();
    expect(answered((await r2.save([sale()])).out).code).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(250);
    expect(r2.sb.rows()).toHaveLength(3);
    expect(r2.sb.stats().faults).toMatchObject({ '402': 1, '453': 1, slow: 1 });
  });

  it('same-token resend: after drop-after-store the platform answers 402 and the rows are stored once; after a timeout the resend stores once', async () => {
    const r = await rig({}, 300);
    r.sb.setFaults({ hangMs: 600 });

    // Stored, answer lost.
    const rows = [sale(), sale()];
    r.sb.forceFaults(['drop-after-store']);
    const first = await r.save(rows);
    expect(first.out).toMatchObject({ phase: 'unknown' });
    expect(r.sb.rows()).toHaveLength(2);
    r.tick();
    const resend = answered((await r.save(rows, { token: first.token })).out);
    expect(resend.code).toBe(402);
    expect(isTokenSpent(resend)).toBe(true);
    expect(r.sb.rows()).toHaveLength(2);
    expect(r.sb.duplicates()).toEqual([]);

    // Never processed: the resend with the same token is the one store.
    r.tick();
    const rows2 = [sale(), sale(), sale()];
    r.sb.forceFaults(['timeout']);
    const lost = await r.save(rows2);
    expect(lost.out).toMatchObject({ phase: 'unknown' });
    expect(r.sb.rows()).toHaveLength(2);
    r.tick();
    expect(answered((await r.save(rows2, { token: lost.token })).out).code).toBe(200);
    expect(r.sb.rows()).toHaveLength(5);
    expect(r.sb.duplicates()).toEqual([]);
    expect(r.sb.calls().map((c) => [c.fault, c.code, c.rowCount])).toEqual([
      ['drop-after-store', 200, 2],
      [null, 402, 2],
      ['timeout', null, 3],
      [null, 200, 3],
    ]);

    // What the exactly-once rule protects against: a naive resend with a new token duplicates.
    r.tick();
    r.sb.forceFaults(['drop-after-store']);
    const rows3 = [sale()];
    await r.save(rows3);
    r.tick();
    await r.save(rows3);
    expect(r.sb.duplicates()).toHaveLength(1);
  });

  it('mirror mode (the code as HTTP status too), token expiry, wrong method and paths, control endpoints, store file', async () => {
    const storeFile = path.join(tempDir(), 'gansu.jsonl');
    const r = await rig({ statusMode: 'mirror', tokenTtlMs: 60_000, storeFile });
    expect(await r.client.getToken(CHAIN.loginId, encryptPassword(r.sb.publicKeyPem, 'bad'))).toMatchObject({ ok: false, kind: 'refused', httpStatus: 500, code: 500 });
    const t = await r.token();
    r.tick(60_001);
    // An expired token reads as spent: why a same-token resend must come soon after the unknown outcome.
    expect(answered((await r.save([sale()], { token: t })).out)).toMatchObject({ httpStatus: 402, code: 402 });
    expect(answered((await r.save([sale()])).out)).toMatchObject({ httpStatus: 200, code: 200 });
    r.tick(10);
    expect(answered((await r.save([sale()])).out)).toMatchObject({ httpStatus: 453, verdict: { kind: 'too-fast' } });

    expect((await fetch(`${r.sb.url}/api/v1/saveSaleData`)).status).toBe(406);
    const nf = await fetch(`${r.sb.url}/api/v1/nope`, { method: 'POST' });
    expect([nf.status, await nf.json()]).toEqual([404, { code: 404, msg: '未找到接口', data: '/api/v1/nope' }]);
    expect((await fetch(`${r.sb.url}/elsewhere`, { method: 'POST' })).status).toBe(400);
    const other = new GansuClient({ baseUrl: r.sb.url, timeoutMs: 1_000, paths: { save: '/api/v2/saveSaleData' } });
    expect(answered(await other.saveSaleData('x', 'y', [sale()])).verdict).toMatchObject({ kind: 'refused', code: 404 });

    const ctl = (p: string, init?: RequestInit) => fetch(`${r.sb.url}/__sandbox/${p}`, init).then(async (res) => ({ status: res.status, body: (await res.json()) as Record<string, unknown> }));
    expect((await ctl('faults', { method: 'POST', body: JSON.stringify({ force: ['453'], seed: 7 }) })).status).toBe(200);
    expect((await ctl('faults', { method: 'POST', body: JSON.stringify({ force: ['boom'] }) })).status).toBe(400);
    r.tick();
    expect(answered((await r.save([sale()])).out).code).toBe(453);
    expect((await ctl('stats')).body).toMatchObject({ stored: 1, faults: { '453': 1 }, duplicates: [] });
    expect((await ctl(`rows?uscc=${STORE_1.uscc}`)).body).toHaveLength(1);
    expect((await ctl('rows?bogus=1')).status).toBe(400);
    expect((await ctl('calls')).body).toHaveLength(4);
    await r.sb.close();

    const again = await startGansuSandbox({ accounts: [CHAIN], storeFile });
    started.push(again);
    expect(again.rows()).toHaveLength(1);
    expect(again.rows()[0]!.row).toEqual(r.sb.rows()[0]!.row);
    await expect(startGansuSandbox({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
