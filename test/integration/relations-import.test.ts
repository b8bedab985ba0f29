import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelationImportResultView, RelationImportView } from '../../server/contract/relations.js';
import { startTestWorkstation, tempDir, type TestWorkstation } from '../helpers/workstation.js';
import { writeRelationFile } from '../../scripts/bench/relation-file.js';

const FIXTURES = path.join(import.meta.dirname, '../fixtures/relations');

interface Answer {
  status: number;
  body: RelationImportResultView & { error: { code: string; message: string; messages: Record<string, string>; issues?: Array<{ path: string; message: string }> } };
}

type Code = [code: string, level: number, parent?: string];
interface RelationSpec {
  productCode?: string;
  packageSpec?: string;
  batchNo?: string;
  codes: Code[];
}

/** A relation XML v3.0 file; `versionAttr` and the attribute spelling vary as between producers. */
function relationXml(relations: RelationSpec[], versionAttr = 'Version'): string {
  const rel = relations
    .map((r) => {
      const attrs = [r.productCode && `productCode="${r.productCode}"`, r.packageSpec && `packageSpec="${r.packageSpec}"`].filter(Boolean).join(' ');
      const codes = r.codes.map(([c, l, p]) => `<Code curCode="${c}" packLayer="${l}"${p ? ` parentCode="${p}"` : ''}/>`).join('\n');
      return `<Relation ${attrs}><Batch batchNo="${r.batchNo ?? 'B1'}" madeDate="2024-06-01" validateDate="2026-05-31">\n${codes}\n</Batch></Relation>`;
    })
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Document><Events ${versionAttr}="3.0"><Event Name="RelationCreate">\n${rel}\n</Event></Events></Document>\n`;
}

let serial = 0;
/** A fresh 20-digit code of `level` (prefix 830000<level>: apart from the fixtures' and the generator's 810000). */
const code = (level: number, prefix = '830000'): string => `${prefix}${level}${String(++serial).padStart(13, '0')}`;

/** One 1:5:10 case with `middles` middles of `units` units each. */
function caseTree(middles = 5, units = 2, prefix = '830000'): { root: string; codes: Code[] } {
  const root = code(3, prefix);
  const codes: Code[] = [[root, 3]];
  for (let m = 0; m < middles; m++) {
    const mid = code(2, prefix);
    codes.push([mid, 2, root]);
    for (let u = 0; u < units; u++) codes.push([code(1, prefix), 1, mid]);
  }
  return { root, codes };
}

async function importBody(ws: TestWorkstation, body: string | Buffer | ReadableStream, query = 'name=relations.xml'): Promise<Answer> {
  const init: RequestInit & { duplex?: 'half' } = { method: 'POST', body: body as BodyInit, headers: { 'content-type': 'application/octet-stream' } };
  if (body instanceof ReadableStream) init.duplex = 'half';
  const res = await ws.api(`/api/relations/import?${query}`, init);
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const packColumns = ['code', 'level', 'parent_code', 'product_code', 'batch', 'made_date', 'expiry'];
const packs = (ws: TestWorkstation) => ws.db.knex('packs').select(packColumns).orderBy('code');
const packCount = async (ws: TestWorkstation) => Number(((await ws.db.knex('packs').count({ n: '*' })) as Array<{ n: number }>)[0]!.n);

describe('package-relation import', () => {
  let ws: TestWorkstation;
  beforeAll(async () => {
    ws = await startTestWorkstation();
  });
  afterAll(async () => {
    await ws?.stop();
  });

  /** Imports `xml`, expects a refusal with `reason` naming `codes`, and proves nothing was written. */
  async function expectRefused(xml: string, reason: string, codes: string[]): Promise<Answer> {
    const before = await packs(ws);
    const a = await importBody(ws, xml);
    expect(a.status).toBe(409);
    expect(a.body.error.code).toBe('RELATION_CONFLICT');
    const issue = a.body.error.issues?.find((i) => i.path === reason);
    expect(issue, JSON.stringify(a.body.error.issues)).toBeDefined();
    for (const c of codes) expect(issue!.message).toContain(c);
    expect(await packs(ws)).toEqual(before);
    return a;
  }

  it('imports the fixture XML (mixed attribute case, lower-case version) with batch and dates', async () => {
    const a = await importBody(ws, fs.readFileSync(path.join(FIXTURES, 'case-1-5-10.xml')), 'name=case-1-5-10.xml');
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ records: 16, parents: 6, partialParents: 0 });
    const unit = await ws.db.knex('packs').where({ code: '81000010000000129999' }).first();
    expect(unit).toMatchObject({ level: 1, parent_code: '81000020000000019999', product_code: '86900012000017', batch: 'B20240601', made_date: '2024-06-01', expiry: '2026-05-31', source: 'import', import_id: a.body.importId });
  });

  it('reads Version and version alike', async () => {
    for (const attr of ['Version', 'version', 'VERSION']) {
      const t = caseTree();
      const a = await importBody(ws, relationXml([{ productCode: '86900012000017', packageSpec: '1:5:10', codes: t.codes }], attr));
      expect(a.status, attr).toBe(201);
      expect(a.body.records).toBe(16);
    }
  });

  it('imports CSV (header, quotes, BOM) and lists the import as done', async () => {
    const csv = fs.readFileSync(path.join(FIXTURES, 'case-1-5-10.csv'), 'utf8').replaceAll('9999', '8888');
    const a = await importBody(ws, csv, 'name=case.csv');
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ records: 16, parents: 6, partialParents: 0 });
    expect(await ws.db.knex('packs').where({ code: '81000010000000128888' }).first()).toMatchObject({ level: 1, parent_code: '81000020000000018888', product_code: null });
    const view = (await (await ws.api(`/api/relations/imports/${a.body.importId}`)).json()) as RelationImportView;
    expect(view).toMatchObject({ id: a.body.importId, fileName: 'case.csv', format: 'csv', status: 'done', records: 16, error: null });
  });

  it('counts a partially filled parent (零头) instead of refusing it', async () => {
    const t = caseTree(3, 2); // 3 of 5 middles, each full
    const a = await importBody(ws, relationXml([{ productCode: '86900012000017', packageSpec: '1:5:10', codes: t.codes }]));
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ records: 10, parents: 4, partialParents: 1 });
  });

  it('re-importing an identical file changes nothing (idempotent)', async () => {
    const xml = relationXml([{ productCode: '86900012000017', packageSpec: '1:5:10', codes: caseTree().codes }]);
    const first = await importBody(ws, xml);
    expect(first.status).toBe(201);
    const stored = await ws.db.knex('packs').where({ import_id: first.body.importId }).orderBy('code');
    const again = await importBody(ws, xml);
    expect(again.status).toBe(201);
    expect(again.body.records).toBe(16);
    const after = await ws.db.knex('packs').whereIn('code', stored.map((p: { code: string }) => p.code)).orderBy('code');
    expect(after).toEqual(stored);
  });

  describe('refuses the whole file, naming the offending codes', () => {
    const product = { productCode: '86900012000017', packageSpec: '1:5:10' };

    it('a code twice in the file', async () => {
      const t = caseTree();
      const dup = t.codes[2]![0];
      t.codes.push([dup, 1, t.codes[1]![0]]);
      await expectRefused(relationXml([{ ...product, codes: t.codes }]), 'duplicate_in_file', [dup]);
    });

    it('a parent neither in the file nor stored', async () => {
      const orphanParent = code(2);
      const unit = code(1);
      const t = caseTree();
      await expectRefused(relationXml([{ ...product, codes: [...t.codes, [unit, 1, orphanParent]] }]), 'parent_missing', [unit, orphanParent]);
    });

    it('a parent whose level is not higher', async () => {
      const a = code(1);
      const b = code(1);
      await expectRefused(relationXml([{ ...product, codes: [[a, 1], [b, 1, a]] }]), 'level_not_higher', [b, a]);
    });

    it('a code that is its own parent', async () => {
      const a = code(2);
      await expectRefused(relationXml([{ ...product, codes: [[a, 2, a]] }]), 'same_code', [a]);
    });

    it('a stored code with another level', async () => {
      const stored = caseTree();
      expect((await importBody(ws, relationXml([{ ...product, codes: stored.codes }]))).status).toBe(201);
      const mid = stored.codes[1]![0];
      await expectRefused(relationXml([{ ...product, codes: [[mid, 3]] }]), 'code_conflict', [mid]);
    });

    it('a stored code with another product', async () => {
      const stored = caseTree();
      expect((await importBody(ws, relationXml([{ ...product, codes: stored.codes }]))).status).toBe(201);
      await expectRefused(relationXml([{ productCode: '86900099999999', codes: [[stored.root, 3]] }]), 'code_conflict', [stored.root]);
    });

    it('a code already inside another parent', async () => {
      const stored = caseTree();
      expect((await importBody(ws, relationXml([{ ...product, codes: stored.codes }]))).status).toBe(201);
      const unit = stored.codes[2]![0];
      const otherMid = code(2);
      const xml = relationXml([{ ...product, codes: [[otherMid, 2], [unit, 1, otherMid]] }]);
      await expectRefused(xml, 'already_packed', [unit, stored.codes[1]![0]]);
    });

    it('a child of another product than its parent (the files’ productCode)', async () => {
      const mid = code(2);
      const unit = code(1);
      const xml = relationXml([
        { ...product, codes: [[mid, 2]] },
        { productCode: '86900099999999', packageSpec: '1:5:10', codes: [[unit, 1, mid]] },
      ]);
      await expectRefused(xml, 'product_mismatch', [unit, mid]);
    });

    it('a child of another product by the master-data prefix mapping, whatever the file says', async () => {
      const k = ws.db.knex;
      const now = Date.now();
      const ids: number[] = [];
      for (const c of ['REL-A', 'REL-B']) {
        const [row] = (await k('products').insert({ code: c, name: c, created_at: now, updated_at: now }).returning('id')) as Array<{ id: number }>;
        ids.push(Number(row!.id));
      }
      await k('product_codes').insert([
        { product_id: ids[0], level: 2, kind: 'prefix', value: '8200002', status: 'active', proposed_at: now },
        { product_id: ids[1], level: 1, kind: 'prefix', value: '8200001', status: 'active', proposed_at: now },
      ]);
      const mid = code(2, '820000');
      const unit = code(1, '820000');
      await expectRefused(relationXml([{ ...product, codes: [[mid, 2], [unit, 1, mid]] }]), 'product_mismatch', [unit, mid]);
    });

    it('more children than the package ratio allows', async () => {
      const t = caseTree();
      const mid = t.codes[1]![0];
      t.codes.push([code(1), 1, mid]); // a third unit in a 1:5:10 middle (2 units)
      await expectRefused(relationXml([{ ...product, codes: t.codes }]), 'parent_full', [mid]);
    });

    it('more children than the ratio allows, counting the ones already stored', async () => {
      const stored = caseTree();
      expect((await importBody(ws, relationXml([{ ...product, codes: stored.codes }]))).status).toBe(201);
      const mid = stored.codes[1]![0];
      await expectRefused(relationXml([{ ...product, codes: [[code(1), 1, mid]] }]), 'parent_full', [mid]);
    });

    it('several rules at once: every rule is listed and the import row keeps them', async () => {
      const a = code(1);
      const b = code(1);
      const orphan = code(1);
      const missing = code(2);
      const answer = await expectRefused(relationXml([{ ...product, codes: [[a, 1], [b, 1, a], [orphan, 1, missing]] }]), 'parent_missing', [orphan, missing]);
      const view = (await (await ws.api(`/api/relations/imports?limit=1`)).json()) as RelationImportView[];
      expect(view[0]!.status).toBe('failed');
      expect(view[0]!.error?.code).toBe('RELATION_CONFLICT');
      expect(view[0]!.error?.violations.map((v) => v.reason).sort()).toEqual(['level_not_higher', 'parent_missing']);
      expect(view[0]!.error?.total).toBe(2);
      expect(view[0]!.error?.message.en).toContain(`Import #`);
      expect(answer.body.error.messages['zh-CN']).toContain('未导入任何数据');
    });
  });

  describe('refuses unreadable files with RELATION_FILE_INVALID and writes nothing', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['malformed XML', '<Document><Events Version="3.0"><Event Name="RelationCreate"><Relation><Batch><Code curCode="1" packLayer="1"></Batch>', /line 1/],
      ['a bad packLayer', relationXml([{ codes: [['81000010000000000001', 4]] }]), /packLayer/],
      ['a package ratio that cannot be packed', relationXml([{ packageSpec: '1:4:10', codes: [['81000010000000000002', 1]] }]), /1:4:10/],
      ['a code with spaces', relationXml([{ codes: [['8100001 000', 1]] }]), /8100001 000/],
      ['an unknown version', relationXml([{ codes: [['81000010000000000003', 1]] }]).replace('3.0', '2.0'), /2\.0/],
    ];
    for (const [name, xml, detail] of cases) {
      it(name, async () => {
        const before = await packCount(ws);
        const a = await importBody(ws, xml);
        expect(a.status).toBe(400);
        expect(a.body.error.code).toBe('RELATION_FILE_INVALID');
        expect(a.body.error.messages.en).toMatch(detail);
        expect(a.body.error.messages['zh-CN']).toMatch(/关联关系文件无法读取/);
        expect(await packCount(ws)).toBe(before);
      });
    }

    it('a file without codes is RELATION_FILE_EMPTY', async () => {
      const a = await importBody(ws, relationXml([]));
      expect(a.status).toBe(400);
      expect(a.body.error.code).toBe('RELATION_FILE_EMPTY');
    });

    it('bad query parameters are VALIDATION_FAILED, a missing import is RELATION_IMPORT_NOT_FOUND', async () => {
      expect((await importBody(ws, 'x', 'format=json')).body.error.code).toBe('VALIDATION_FAILED');
      const res = await ws.api('/api/relations/imports/999999');
      expect(res.status).toBe(404);
      expect(((await res.json()) as Answer['body']).error.code).toBe('RELATION_IMPORT_NOT_FOUND');
    });

    it('a JSON body is refused: the file itself is the body', async () => {
      const res = await ws.api('/api/relations/import', { method: 'POST', body: JSON.stringify({ file: '<Document/>' }) });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Answer['body']).error.code).toBe('RELATION_FILE_INVALID');
    });

    it('needs a session', async () => {
      const res = await fetch(`${ws.url}/api/relations/import`, { method: 'POST', body: 'x' });
      expect(res.status).toBe(401);
    });
  });

  describe('export', () => {
    it('exports trees under roots and imports them into a fresh workstation as the same packs', async () => {
      const t1 = caseTree();
      const t2 = caseTree(4, 2);
      const a = await importBody(ws, relationXml([{ productCode: '86900012000017', packageSpec: '1:5:10', batchNo: 'B7', codes: [...t1.codes, ...t2.codes] }]));
      expect(a.status).toBe(201);
      // The second root is also given inside the first tree's list: exported once.
      const res = await ws.api(`/api/relations/export?roots=${t1.root},${t2.root},${t1.codes[1]![0]}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="?relations-/);
      const xml = await res.text();
      expect(xml.match(/<Code /g)).toHaveLength(16 + 13);

      const fresh = await startTestWorkstation();
      try {
        const b = await importBody(fresh, xml);
        expect(b.status).toBe(201);
        // packs keep no packageSpec; without a master-data ratio the 4-middle case is not measured.
        expect(b.body).toMatchObject({ records: 29, parents: 11, partialParents: 0 });
        const codes = [...t1.codes, ...t2.codes].map((c) => c[0]);
        const original = await ws.db.knex('packs').select(packColumns).whereIn('code', codes).orderBy('code');
        expect(await packs(fresh)).toEqual(original);
      } finally {
        await fresh.stop();
      }
    });

    it('exports what one import created', async () => {
      const t = caseTree();
      const a = await importBody(ws, relationXml([{ productCode: '86900012000017', codes: t.codes }]));
      const res = await ws.api(`/api/relations/export?importId=${a.body.importId}`);
      expect(res.status).toBe(200);
      const xml = await res.text();
      for (const [c] of t.codes) expect(xml).toContain(`curCode="${c}"`);
    });

    it('names unknown roots, refuses a failed import and a query with both or neither', async () => {
      const unknown = code(3);
      const res = await ws.api(`/api/relations/export?roots=${unknown}`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as Answer['body'];
      expect(body.error.code).toBe('RELATION_EXPORT_NOT_FOUND');
      expect(body.error.message).toContain(unknown);
      expect((await importBody(ws, relationXml([{ codes: [[code(1), 1, code(2)]] }]))).status).toBe(409);
      const notDone = await ws.api(`/api/relations/export?importId=${await lastImportId()}`);
      expect(notDone.status).toBe(409);
      expect(((await notDone.json()) as Answer['body']).error.code).toBe('RELATION_IMPORT_NOT_DONE');
      expect((await ws.api('/api/relations/export')).status).toBe(400);
      expect((await ws.api(`/api/relations/export?roots=${unknown}&importId=1`)).status).toBe(400);
    });

    async function lastImportId(): Promise<number> {
      const list = (await (await ws.api('/api/relations/imports?limit=1')).json()) as RelationImportView[];
      return list[0]!.id;
    }
  });

  it('imports a file of 1 000 000 codes streamed over HTTP', async () => {
    const dir = tempDir('tracedock-relations-');
    const file = path.join(dir, 'million.xml');
    const big = await startTestWorkstation();
    try {
      await writeRelationFile(file, 62_500);
      const a = await importBody(big, Readable.toWeb(fs.createReadStream(file)) as ReadableStream, 'name=million.xml');
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect(a.body).toMatchObject({ records: 1_000_000, parents: 375_000, partialParents: 0 });
      expect(await packCount(big)).toBe(1_000_000);
      expect(fs.readdirSync(path.join(big.dataDir, 'tmp')).filter((f) => f.includes('staging'))).toEqual([]);
    } finally {
      await big.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
