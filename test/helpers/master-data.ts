import fs from 'node:fs';
import ExcelJS from 'exceljs';
import type { Knex } from 'knex';
import { pino } from 'pino';
import { DEV_ADMIN_INITIAL_PASSWORD, establishAdminSession } from '../../scripts/lib/dev-session.js';
import { loadConfig } from '../../server/config.js';
import { gs1CheckDigit, orgCodeCheckChar, usccCheckChar } from '../../server/domain/codes/index.js';
import { startWorkstation } from '../../server/workstation.js';
import { postgresBinDir, startTempPostgres, type TempPostgres } from './postgres.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from './workstation.js';

/** SQLite always; PostgreSQL where its server binaries are installed (`.ci/run` installs them). */
export const DIALECTS: Array<'sqlite' | 'postgres'> = postgresBinDir() ? ['sqlite', 'postgres'] : ['sqlite'];

/** What the master-data tests use of a workstation, on SQLite or PostgreSQL. */
export type ApiWorkstation = Pick<TestWorkstation, 'url' | 'db' | 'dock' | 'session' | 'api' | 'stop'>;

/**
 * A workstation with a ready admin session on the embedded SQLite (no `pg`) or on a throw-away
 * PostgreSQL cluster: master data must behave the same on both.
 */
export async function startMasterDataWorkstation(dialect: 'sqlite' | 'postgres'): Promise<ApiWorkstation> {
  if (dialect === 'sqlite') return startTestWorkstation();
  const pg: TempPostgres = await startTempPostgres();
  const dataDir = tempDir();
  try {
    const config = loadConfig({ TRACEDOCK_PORT: '0', TRACEDOCK_DATA_DIR: dataDir, TRACEDOCK_DB_URL: pg.url, TRACEDOCK_LOG_LEVEL: 'silent', TRACEDOCK_ADMIN_PASSWORD: DEV_ADMIN_INITIAL_PASSWORD });
    const ws = await startWorkstation(config, { logger: pino({ level: 'silent' }) });
    const session = await establishAdminSession(ws.url);
    const api = (path: string, init: RequestInit = {}) =>
      fetch(ws.url + path, { ...init, headers: { 'content-type': 'application/json', cookie: session.cookie, ...(init.headers as Record<string, string> | undefined) } });
    return {
      url: ws.url,
      db: ws.db,
      dock: ws.dock,
      session,
      api,
      async stop() {
        await ws.stop();
        await pg.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await pg.stop();
    throw err;
  }
}

/** A valid EAN-13 from 12 data digits (the check digit computed, DOMAIN.md §2.2). */
export const ean13 = (data12: string): string => data12 + gs1CheckDigit(data12);

/** The same number with its last digit off by one: a check-digit error and nothing else. */
export const badCheckDigit = (gtin: string): string => gtin.slice(0, -1) + ((Number(gtin.at(-1)) + 1) % 10);

/** A valid USCC (both check characters right) numbered by `n`. */
export function uscc(n: number): string {
  const org8 = String(10_000_000 + n).slice(-8);
  const first17 = '91350100' + org8 + orgCodeCheckChar(org8)!;
  return first17 + usccCheckChar(first17)!;
}

/** XLSX bytes of one sheet: a header and rows, every cell written as given. */
export async function xlsxFile(rows: ReadonlyArray<ReadonlyArray<string | number>>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  for (const r of rows) ws.addRow([...r]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every row of the first sheet as text (1-based row numbers, empty rows left out). */
export async function readXlsxRows(bytes: ArrayBuffer | Buffer): Promise<Map<number, string[]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes instanceof ArrayBuffer ? bytes : new Uint8Array(bytes).buffer);
  const out = new Map<number, string[]>();
  wb.worksheets[0]!.eachRow((row, n) => {
    const values = row.values as unknown[];
    out.set(n, values.slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return out;
}

let gbTable: Map<string, number[]> | undefined;

/**
 * GB18030 bytes for text made of ASCII and GBK characters, as Excel's "CSV" on a Chinese Windows
 * writes it. Node can decode GB18030 but not encode it, so the table is the decoder run backwards.
 */
export function gb18030(text: string): Buffer {
  if (!gbTable) {
    gbTable = new Map();
    const dec = new TextDecoder('gb18030');
    for (let a = 0x81; a <= 0xfe; a++) {
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = dec.decode(Uint8Array.of(a, b));
        if (ch.length === 1 && ch !== '\ufffd' && !gbTable.has(ch)) gbTable.set(ch, [a, b]);
      }
    }
  }
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x80) bytes.push(code);
    else {
      const gb = gbTable.get(ch);
      if (!gb) throw new Error(`no GBK encoding for ${ch}`);
      bytes.push(...gb);
    }
  }
  return Buffer.from(bytes);
}

/** Row counts of the master-data tables: "nothing written" is these unchanged. */
export async function masterCounts(knex: Knex): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['products', 'product_codes', 'product_code_events', 'counterparties']) {
    const [r] = (await knex(t).count({ n: '*' })) as Array<{ n: number | string }>;
    out[t] = Number(r?.n ?? 0);
  }
  return out;
}

/** POSTs a file as the raw request body, the way the import page does. */
export function upload(ws: ApiWorkstation, path: string, body: Buffer, contentType: string): Promise<Response> {
  return ws.api(path, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': contentType } });
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export async function jsonOf<T>(res: Response): Promise<T> {
  return (await res.json()) as T;
}
