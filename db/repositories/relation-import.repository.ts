import fs from 'node:fs';
import type { Knex } from 'knex';
import { codeViolations, duplicateCodes, fillSummary, overfullParents, type FillRow, type FillSummary, type ViolationRow } from './relation-checks.js';
import { leftoverStagingFiles, RelationStaging, isPostgres, type StagingTables } from './relation-staging.js';
import { withWriteTx, insertedId } from './tx.js';

export type { FillRow, ViolationRow } from './relation-checks.js';
export type { GroupCapacity, StagedGroup, StagedRow } from './relation-staging.js';
export { RelationStaging } from './relation-staging.js';

/** One relation file = one import event (`relation_imports`). */
export interface RelationImportRow {
  id: number;
  unitId: number | null;
  operatorId: number | null;
  fileName: string;
  format: string;
  status: 'running' | 'done' | 'failed';
  records: number;
  /** JSON written by the service (the localized error view). */
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

interface ImportRecord {
  id: number;
  unit_id: number | null;
  operator_id: number | null;
  file_name: string;
  format: string;
  status: string;
  records: number | string;
  error: string | null;
  started_at: number | string;
  finished_at: number | string | null;
}

const toRow = (r: ImportRecord): RelationImportRow => ({
  id: Number(r.id),
  unitId: r.unit_id === null ? null : Number(r.unit_id),
  operatorId: r.operator_id === null ? null : Number(r.operator_id),
  fileName: r.file_name,
  format: r.format,
  status: r.status as RelationImportRow['status'],
  records: Number(r.records),
  error: r.error,
  startedAt: Number(r.started_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
});

/** What the checks found; empty `violations`, `duplicates` and `overfull` mean the file may be merged. */
export interface CheckOutcome {
  duplicates: { codes: string[]; total: number };
  violations: ViolationRow[];
  overfull: FillRow[];
  fill: FillSummary;
}

export type CommitOutcome = { ok: true; fill: FillSummary } | { ok: false; check: CheckOutcome };

export class RelationImportRepository {
  constructor(
    private readonly knex: Knex,
    /** Where SQLite staging files live (the data directory's tmp/). */
    readonly stagingDir: string,
  ) {}

  async create(i: { unitId: number | null; operatorId: number | null; fileName: string; format: string; startedAt: number }): Promise<number> {
    const id = insertedId(await this.knex('relation_imports')
      .insert({ unit_id: i.unitId, operator_id: i.operatorId, file_name: i.fileName, format: i.format, status: 'running', records: 0, started_at: i.startedAt })
      .returning('id'));
    return id;
  }

  async fail(id: number, records: number, error: string, finishedAt: number): Promise<void> {
    await this.knex('relation_imports').where({ id, status: 'running' }).update({ status: 'failed', records, error, finished_at: finishedAt });
  }

  async get(id: number): Promise<RelationImportRow | undefined> {
    const r = (await this.knex('relation_imports').where({ id }).first()) as ImportRecord | undefined;
    return r ? toRow(r) : undefined;
  }

  /** Newest first, keyset-paged by id. */
  async list(unitId: number, before: number | undefined, limit: number): Promise<RelationImportRow[]> {
    const q = this.knex('relation_imports').where({ unit_id: unitId }).orderBy('id', 'desc').limit(limit);
    if (before !== undefined) q.andWhere('id', '<', before);
    return ((await q) as ImportRecord[]).map(toRow);
  }

  async openStaging(importId: number): Promise<RelationStaging> {
    const staging = new RelationStaging(this.knex, importId, this.stagingDir);
    try {
      await staging.create();
    } catch (err) {
      await staging.drop().catch(() => {});
      throw err;
    }
    return staging;
  }

  /**
   * The checks and the merge in one write transaction, so the stored hierarchy they read is the
   * one the merge writes into (a dock scan cannot slip a conflicting pack in between). A file
   * that fails any rule leaves `packs` untouched.
   */
  /** `afterMerge` runs in the merge's transaction (the platform outbox owed by the new packs). */
  async commit(staging: RelationStaging, importId: number, records: number, uniqueCodes: boolean, perRule: number, now: number, afterMerge?: (trx: Knex.Transaction) => Promise<void>): Promise<CommitOutcome> {
    return withWriteTx(this.knex, async (trx) => {
      // The planner's cost estimates for these joins trip JIT compilation, which costs more than the queries.
      if (isPostgres(this.knex)) await trx.raw('SET LOCAL jit = off');
      const t = staging.tables;
      const duplicates = uniqueCodes ? { codes: [], total: 0 } : await duplicateCodes(trx, t, perRule);
      const violations = await codeViolations(trx, t, perRule);
      const fill = await fillSummary(trx, t);
      const overfull = fill.overfull > 0 ? await overfullParents(trx, t, perRule) : [];
      if (duplicates.total > 0 || violations.length > 0 || overfull.length > 0) return { ok: false, check: { duplicates, violations, overfull, fill } };
      await trx.raw(mergeSql(t), [importId, now]);
      await afterMerge?.(trx);
      await trx('relation_imports').where({ id: importId }).update({ status: 'done', records, finished_at: now });
      return { ok: true, fill };
    });
  }

  /**
   * A crash mid-import leaves its row `running` and its staging file behind. Only for the embedded
   * database: on a shared PostgreSQL another dock may be importing right now.
   */
  async recoverInterrupted(error: string, now: number): Promise<number> {
    if (isPostgres(this.knex)) return 0;
    for (const f of leftoverStagingFiles(this.stagingDir)) fs.rmSync(f, { force: true });
    return this.knex('relation_imports').where({ status: 'running' }).update({ status: 'failed', error, finished_at: now });
  }
}

/**
 * Staged codes → packs, product resolved from the prefix mapping on the way. A code already stored
 * (same level, product and parent — the checks made sure) only gains what it lacked: a re-imported
 * file changes nothing, a loose code gets its parent. `WHERE true` keeps SQLite from reading the
 * ON CONFLICT as a join constraint.
 */
function mergeSql(t: StagingTables): string {
  const fill = (col: string) => `${col} = coalesce(packs.${col}, excluded.${col})`;
  const gains = ['parent_code', 'product_id', 'product_code', 'batch', 'made_date', 'expiry'].map((c) => `(packs.${c} IS NULL AND excluded.${c} IS NOT NULL)`);
  return `INSERT INTO packs (code, level, product_id, product_code, batch, made_date, expiry, parent_code, source, import_id, updated_at)
    SELECT s.code, s.level, pc.product_id, g.product_code, g.batch_no, g.made_date, g.validate_date, s.parent, 'import', ?, ?
    FROM ${t.stage} s
    LEFT JOIN ${t.group} g ON g.grp = s.grp
    LEFT JOIN product_codes pc ON pc.kind = 'prefix' AND pc.status = 'active' AND pc.value = substr(s.code, 1, 7)
    WHERE true
    ON CONFLICT (code) DO UPDATE SET ${['parent_code', 'product_id', 'product_code', 'batch', 'made_date', 'expiry'].map(fill).join(', ')}, updated_at = excluded.updated_at
    WHERE ${gains.join(' OR ')}`;
}
