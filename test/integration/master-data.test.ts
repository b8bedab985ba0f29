import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CounterpartyView, Page, ProductView } from '../../server/contract/master-data.js';
import { badCheckDigit, DIALECTS, ean13, jsonOf, masterCounts, startMasterDataWorkstation, uscc, type ApiWorkstation } from '../helpers/master-data.js';

type ErrorBody = { error: { code: string; message: string; issues?: Array<{ path: string; message: string }> } };

describe.each(DIALECTS)('master data over HTTP on %s: products and counterparties', (dialect) => {
  let ws: ApiWorkstation;
  const send = (method: string, path: string, body?: unknown) => ws.api(path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const refused = async (res: Response, status: number, code: string) => {
    const body = await jsonOf<ErrorBody>(res);
    expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
    expect(body.error.message).not.toBe('');
    return body;
  };

  beforeAll(async () => {
    ws = await startMasterDataWorkstation(dialect);
  }, 60_000);
  afterAll(async () => {
    await ws.stop();
  });

  it('creates, reads, searches and edits a product with its three-code mapping', async () => {
    const gtin = ean13('690123456001');
    const res = await send('POST', '/api/products', {
      code: 'P-100',
      name: '阿莫西林胶囊',
      genericName: '阿莫西林',
      approvalNo: '国药准字Ｈ20003456',
      nhsaCode: 'XJ01CAA040A001010100001',
      ratio: '1：10：200',
      prescription: true,
      gtin1: gtin,
      prefix1: '8385793',
    });
    expect(res.status).toBe(201);
    const p = await jsonOf<ProductView>(res);
    expect(p).toMatchObject({ code: 'P-100', approvalNo: '国药准字H20003456', nhsaKind: 'drug', ratio: '1:10:200', prescription: true, blocked: false });
    expect(p.codes.map((c) => [c.kind, c.level, c.value, c.status])).toEqual([
      ['gtin', 1, '0' + gtin, 'active'],
      ['prefix', 1, '8385793', 'active'],
    ]);
    expect(await jsonOf<ProductView>(await send('GET', `/api/products/${p.id}`))).toEqual(p);

    const byName = await jsonOf<Page<ProductView>>(await send('GET', '/api/products?q=' + encodeURIComponent('阿莫西林')));
    const byGtin = await jsonOf<Page<ProductView>>(await send('GET', '/api/products?q=' + gtin));
    expect([byName.total, byGtin.items[0]?.id]).toEqual([1, p.id]);

    const newGtin = ean13('690123456002');
    const patched = await jsonOf<ProductView>(await send('PATCH', `/api/products/${p.id}`, { name: '阿莫西林胶囊（新）', gtin1: newGtin, prefix1: null, blocked: true }));
    expect(patched).toMatchObject({ name: '阿莫西林胶囊（新）', blocked: true, genericName: '阿莫西林' });
    expect(patched.codes.map((c) => c.value)).toEqual(['0' + newGtin]);
    // Retired, not deleted: the mapping's history stays (imported → retired).
    const events = await ws.db.knex('product_code_events').orderBy('id').select('action');
    expect(events.map((e: { action: string }) => e.action)).toEqual(['imported', 'imported', 'retired', 'retired', 'imported']);
    expect(await ws.dock.masterData.findProductByGtin(ws.db.knex, newGtin)).toMatchObject({ product: { id: p.id }, level: 1 });
    expect(await ws.dock.masterData.findProductByGtin(ws.db.knex, gtin)).toBeUndefined();
  });

  it('refuses bad products with stable codes and writes nothing', async () => {
    await send('POST', '/api/products', { code: 'P-200', name: '已有', gtin3: ean13('690123456003') });
    const before = await masterCounts(ws.db.knex);
    const base = { code: 'P-201', name: '新药' };
    await refused(await send('POST', '/api/products', { ...base, gtin1: badCheckDigit(ean13('690123456004')) }), 400, 'GTIN_INVALID');
    const ratio = await refused(await send('POST', '/api/products', { ...base, ratio: '1:4:10' }), 400, 'PACKAGE_RATIO_INVALID');
    expect(ratio.error.message).toContain('1:4:10');
    await refused(await send('POST', '/api/products', { ...base, prefix2: '7123456' }), 400, 'TRACE_PREFIX_INVALID');
    await refused(await send('POST', '/api/products', { ...base, nhsaCode: 'X123' }), 400, 'NHSA_CODE_INVALID');
    await refused(await send('POST', '/api/products', { ...base, approvalNo: '国药准字H2000' }), 400, 'APPROVAL_NO_INVALID');
    await refused(await send('POST', '/api/products', { code: 'P-200', name: '重复' }), 409, 'PRODUCT_CODE_TAKEN');
    await refused(await send('POST', '/api/products', { ...base, gtin1: ean13('690123456003') }), 409, 'PRODUCT_IDENTIFIER_TAKEN');
    await refused(await send('POST', '/api/products', { ...base, unknown: 1 }), 400, 'VALIDATION_FAILED');
    await refused(await send('POST', '/api/products', { code: '', name: 'x' }), 400, 'VALIDATION_FAILED');
    await refused(await send('PATCH', '/api/products/999999', { name: 'x' }), 404, 'PRODUCT_NOT_FOUND');
    await refused(await send('GET', '/api/products/999999'), 404, 'PRODUCT_NOT_FOUND');
    expect(await masterCounts(ws.db.knex)).toEqual(before);
  });

  it('keeps counterparties per unit with validated USCCs', async () => {
    const res = await send('POST', '/api/counterparties', { name: '上游制药', uscc: uscc(1).toLowerCase(), type: 'manufacturer', platformIds: { nhsa: 'H0001' } });
    expect(res.status).toBe(201);
    const c = await jsonOf<CounterpartyView>(res);
    expect(c).toMatchObject({ uscc: uscc(1), type: 'manufacturer', unitId: ws.session.unitId, platformIds: { nhsa: 'H0001' }, address: null });
    const patched = await jsonOf<CounterpartyView>(await send('PATCH', `/api/counterparties/${c.id}`, { address: '兰州市城关区', type: 'wholesaler' }));
    expect(patched).toMatchObject({ address: '兰州市城关区', type: 'wholesaler', name: '上游制药' });
    const list = await jsonOf<Page<CounterpartyView>>(await send('GET', '/api/counterparties?q=' + encodeURIComponent('上游')));
    expect(list.items.map((x) => x.id)).toEqual([c.id]);

    const before = await masterCounts(ws.db.knex);
    const bad = await refused(await send('POST', '/api/counterparties', { name: 'x', uscc: '91440300MA5FXXXX0X', type: 'hospital' }), 400, 'USCC_INVALID');
    expect(bad.error.issues?.[0]?.path).toBe('uscc');
    await refused(await send('POST', '/api/counterparties', { name: 'x', uscc: uscc(1), type: 'hospital' }), 409, 'COUNTERPARTY_USCC_TAKEN');
    await refused(await send('POST', '/api/counterparties', { name: 'x', uscc: uscc(2), type: 'bank' }), 400, 'VALIDATION_FAILED');
    await refused(await send('GET', '/api/counterparties/999999'), 404, 'COUNTERPARTY_NOT_FOUND');
    expect(await masterCounts(ws.db.knex)).toEqual(before);
  });

  it('needs the masterdata business to write', async () => {
    // An operator with only `receiving` in the unit: reads work, writes are refused.
    const op = { username: 'scanner1', displayName: '扫码员', password: 'Init#Oper2026' };
    const created = await jsonOf<{ id: number }>(await send('POST', '/api/operators', op));
    await send('POST', '/api/bindings', { operatorId: created.id, unitId: ws.session.unitId });
    await send('POST', '/api/grants', { operatorId: created.id, unitId: ws.session.unitId, business: 'receiving' });
    const login = await fetch(ws.url + '/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: op.username, password: op.password }) });
    const cookie = /td_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0];
    const as = (method: string, path: string, body?: unknown) =>
      fetch(ws.url + path, { method, headers: { 'content-type': 'application/json', cookie }, body: body === undefined ? undefined : JSON.stringify(body) });
    await as('POST', '/api/session/password', { currentPassword: op.password, newPassword: 'Own$Pass2026' });
    await as('POST', '/api/session/unit', { unitId: ws.session.unitId });
    expect((await as('GET', '/api/products')).status).toBe(200);
    await refused(await as('POST', '/api/products', { code: 'P-300', name: 'x' }), 403, 'FORBIDDEN');
    await refused(await as('POST', '/api/counterparties', { name: 'x', uscc: uscc(3), type: 'other' }), 403, 'FORBIDDEN');
  });
});
