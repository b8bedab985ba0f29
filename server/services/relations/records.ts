import type { GroupCapacity, StagedGroup, StagedRow } from '../../../db/repositories/relation-import.repository.js';
import { childCapacity, parsePackageRatio, type PackLevel } from '../../domain/hierarchy/index.js';
import type { BatchInfo, RelationInfo, RelationRecord } from '../../domain/hierarchy/relation-xml/index.js';
import { RelationContentError } from './errors.js';

// Column widths of `packs`: PostgreSQL refuses longer values, SQLite would silently keep them.
const CODE = /^[\x21-\x7e]{1,100}$/;
const MAX_PRODUCT_CODE = 60;
const MAX_BATCH = 60;
const PAIRS: ReadonlyArray<[PackLevel, PackLevel]> = [
  [3, 2],
  [3, 1],
  [2, 1],
];

export interface StagedBatch {
  rows: StagedRow[];
  groups: StagedGroup[];
  caps: GroupCapacity[];
}

/**
 * Turns reader records into staging rows. The `<Relation>`/`<Batch>` attributes shared by
 * thousands of codes become one group row each, so a staged code is four small fields; the
 * reader hands the same objects to consecutive codes, which makes the lookup an identity check.
 */
export class RecordGrouper {
  private readonly byKey = new Map<string, number>();
  private lastRelation: RelationInfo | undefined;
  private lastBatch: BatchInfo | undefined;
  private lastGrp = -1;

  add(records: readonly RelationRecord[]): StagedBatch {
    const out: StagedBatch = { rows: new Array<StagedRow>(records.length), groups: [], caps: [] };
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      if (!CODE.test(r.code)) throw badCode(r.code, r.code);
      if (r.parent !== undefined && !CODE.test(r.parent)) throw badCode(r.parent, r.code);
      out.rows[i] = [r.code, r.parent ?? null, r.level, this.groupOf(r, out)];
    }
    return out;
  }

  private groupOf(r: RelationRecord, out: StagedBatch): number {
    if (this.lastGrp >= 0 && r.relation === this.lastRelation && r.batch === this.lastBatch) return this.lastGrp;
    const group: Omit<StagedGroup, 'grp'> = {
      productCode: r.relation?.productCode ?? null,
      batchNo: r.batch?.batchNo ?? null,
      madeDate: r.batch?.madeDate ?? null,
      validateDate: r.batch?.validateDate ?? null,
    };
    const spec = r.relation?.packageSpec;
    const key = JSON.stringify([group.productCode, group.batchNo, group.madeDate, group.validateDate, spec ?? null]);
    let grp = this.byKey.get(key);
    if (grp === undefined) {
      grp = this.byKey.size;
      this.byKey.set(key, grp);
      checkLengths(group, r.code);
      out.groups.push({ grp, ...group });
      if (spec !== undefined) out.caps.push(...capacities(grp, spec, r));
    }
    this.lastRelation = r.relation;
    this.lastBatch = r.batch;
    this.lastGrp = grp;
    return grp;
  }
}

function capacities(grp: number, spec: string, r: RelationRecord): GroupCapacity[] {
  const parsed = parsePackageRatio(spec);
  if (!parsed.ok) {
    throw new RelationContentError({
      'zh-CN': `包装比例 packageSpec="${spec}"（追溯码 ${r.code} 所在的 Relation）无效：${parsed.error}`,
      en: `packageSpec="${spec}" (the Relation of code ${r.code}) is invalid: ${parsed.error}`,
    });
  }
  const caps: GroupCapacity[] = [];
  for (const [parentLevel, childLevel] of PAIRS) {
    const capacity = childCapacity(parsed.ratio, parentLevel, childLevel);
    if (capacity !== undefined) caps.push({ grp, parentLevel, childLevel, capacity });
  }
  return caps;
}

function checkLengths(g: Omit<StagedGroup, 'grp'>, code: string): void {
  if ((g.productCode?.length ?? 0) > MAX_PRODUCT_CODE) {
    throw new RelationContentError({
      'zh-CN': `追溯码 ${code} 的 productCode 超过 ${MAX_PRODUCT_CODE} 个字符`,
      en: `the productCode of code ${code} is longer than ${MAX_PRODUCT_CODE} characters`,
    });
  }
  if ((g.batchNo?.length ?? 0) > MAX_BATCH) {
    throw new RelationContentError({
      'zh-CN': `追溯码 ${code} 的批号 batchNo 超过 ${MAX_BATCH} 个字符`,
      en: `the batchNo of code ${code} is longer than ${MAX_BATCH} characters`,
    });
  }
}

function badCode(value: string, record: string): RelationContentError {
  const where = value === record ? '' : `（${record} 的父码）`;
  const whereEn = value === record ? '' : ` (parent of ${record})`;
  return new RelationContentError({
    'zh-CN': `追溯码 "${value.slice(0, 120)}"${where} 无效：应为 1–100 个可见 ASCII 字符`,
    en: `code "${value.slice(0, 120)}"${whereEn} is invalid: 1–100 visible ASCII characters expected`,
  });
}
