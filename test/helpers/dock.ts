import type { Knex } from 'knex';
import type { DocumentDetailView, DocumentView } from '../../server/contract/dock.js';
import type { StationView } from '../../server/contract/views.js';
import type { TestWorkstation } from './workstation.js';

/**
 * A small warehouse for dock tests: two products with a three-level 1:5:10 hierarchy, known
 * prefixes per level, and cases built the way a manufacturer's relation file would describe them.
 */
export const PREFIX = { unit: '8100001', middle: '8100002', case: '8100003', otherUnit: '8200001' } as const;
export const GTIN_UNIT = '6901234567892';

let serial = 1;
/** A fresh 20-digit trace code with the given 7-digit prefix. */
export const traceCode = (prefix: string): string => prefix + String(serial++).padStart(13, '0');

export interface CaseTree {
  case: string;
  middles: string[];
  units: string[];
}

export interface DockFixture {
  productId: number;
  otherProductId: number;
  supplierId: number;
  customerId: number;
}

export async function seedDock(knex: Knex, unitId: number): Promise<DockFixture> {
  const at = Date.now();
  const [p1] = (await knex('products')
    .insert({ code: 'P-AMOX', name: '阿莫西林胶囊', generic_name: '阿莫西林', spec: '0.25g*24粒', ratio: '1:5:10', nhsa_code: 'XJ01CAA040A001010100001', created_at: at, updated_at: at })
    .returning('id')) as Array<{ id: number }>;
  const [p2] = (await knex('products').insert({ code: 'P-IBU', name: '布洛芬缓释胶囊', ratio: '1:10', created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>;
  const productId = Number(p1!.id);
  const otherProductId = Number(p2!.id);
  const mapping = (product_id: number, level: number, kind: string, value: string) => ({ product_id, level, kind, value, status: 'active', proposed_at: at, decided_at: at });
  await knex('product_codes').insert([
    mapping(productId, 1, 'prefix', PREFIX.unit),
    mapping(productId, 2, 'prefix', PREFIX.middle),
    mapping(productId, 3, 'prefix', PREFIX.case),
    mapping(productId, 1, 'gtin', GTIN_UNIT),
    mapping(otherProductId, 1, 'prefix', PREFIX.otherUnit),
  ]);
  const cp = async (name: string, uscc: string, type: string) =>
    Number(((await knex('counterparties').insert({ unit_id: unitId, name, uscc, type, created_at: at, updated_at: at }).returning('id')) as Array<{ id: number }>)[0]!.id);
  return {
    productId,
    otherProductId,
    supplierId: await cp('华北制药股份有限公司', '91110000600037341L', 'manufacturer'),
    customerId: await cp('兰州市第一人民医院', '91350100M000100Y43', 'hospital'),
  };
}

/** Stores a 1:5:10 case (5 middles × 2 units) as an imported relation would. */
export async function seedCase(knex: Knex, opts: { expiry?: string; batch?: string } = {}): Promise<CaseTree> {
  const at = Date.now();
  const tree: CaseTree = { case: traceCode(PREFIX.case), middles: [], units: [] };
  const rows: Array<Record<string, unknown>> = [{ code: tree.case, level: 3, parent_code: null }];
  for (let m = 0; m < 5; m++) {
    const middle = traceCode(PREFIX.middle);
    tree.middles.push(middle);
    rows.push({ code: middle, level: 2, parent_code: tree.case });
    for (let u = 0; u < 2; u++) {
      const unit = traceCode(PREFIX.unit);
      tree.units.push(unit);
      rows.push({ code: unit, level: 1, parent_code: middle });
    }
  }
  await knex('packs').insert(rows.map((r) => ({ ...r, batch: opts.batch ?? 'B2026', expiry: opts.expiry ?? '2028-12-31', source: 'import', updated_at: at })));
  return tree;
}

/** A loose unit known to the hierarchy (with its expiry), not inside any case. */
export async function seedLooseUnit(knex: Knex, expiry = '2028-12-31', prefix: string = PREFIX.unit): Promise<string> {
  const code = traceCode(prefix);
  await knex('packs').insert({ code, level: 1, parent_code: null, batch: 'B2026', expiry, source: 'import', updated_at: Date.now() });
  return code;
}

export async function json<T>(ws: TestWorkstation, method: string, url: string, body?: unknown): Promise<T> {
  const res = await ws.api(url, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = (await res.json()) as T;
  if (!res.ok) throw Object.assign(new Error(`${method} ${url} → ${res.status} ${JSON.stringify(data)}`), { status: res.status, data });
  return data;
}

export async function dockStation(ws: TestWorkstation, name: string, kind: 'receiving' | 'dispatch' | 'aggregation'): Promise<StationView> {
  return json<StationView>(ws, 'POST', '/api/stations', { name, kind });
}

export async function openDocument(
  ws: TestWorkstation,
  body: { direction: 'in' | 'out'; number: string; type: string; counterpartyId: number; stationId?: number; expected?: { codes?: string[]; lines?: Array<{ productId: number; quantity: number }> } },
): Promise<DocumentView> {
  return json<DocumentView>(ws, 'POST', '/api/documents', body);
}

export const documentDetail = (ws: TestWorkstation, id: number) => json<DocumentDetailView>(ws, 'GET', `/api/documents/${id}`);
