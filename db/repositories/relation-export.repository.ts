import type { Knex } from 'knex';
import { rawRows } from './tx.js';

/** One stored pack as a relation file needs it. */
export interface PackExportRow {
  code: string;
  level: number;
  /** Null for the top of an exported tree, even when it sits in a pack outside the export. */
  parent: string | null;
  productCode: string | null;
  batch: string | null;
  madeDate: string | null;
  expiry: string | null;
  /** The product's package ratio from master data, when the pack is mapped to a product. */
  ratio: string | null;
}

interface PackRecord {
  code: string;
  level: number | string;
  parent_code: string | null;
  product_code: string | null;
  batch: string | null;
  made_date: string | null;
  expiry: string | null;
  ratio: string | null;
  depth?: number | string;
}

const toRow = (r: PackRecord): PackExportRow => ({
  code: r.code,
  level: Number(r.level),
  parent: r.depth !== undefined && Number(r.depth) === 0 ? null : r.parent_code,
  productCode: r.product_code,
  batch: r.batch,
  madeDate: r.made_date,
  expiry: r.expiry,
  ratio: r.ratio,
});

const COLUMNS = 'p.code, p.level, p.parent_code, p.product_code, p.batch, p.made_date, p.expiry, pr.ratio';
// Levels stop at 3; the bound only keeps corrupt data (a loop) from recursing forever.
const MAX_DEPTH = 8;

/**
 * Paged reads of the stored hierarchy for export: never the whole set in memory, and no
 * transaction held between pages (SQLite has one connection; scans must keep flowing).
 */
export class RelationExportRepository {
  constructor(private readonly knex: Knex) {}

  /** Of `codes`, those with no stored pack. */
  async missing(codes: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    for (let i = 0; i < codes.length; i += 500) {
      const rows = (await this.knex('packs').whereIn('code', codes.slice(i, i + 500)).select('code')) as Array<{ code: string }>;
      for (const r of rows) found.add(r.code);
    }
    return codes.filter((c) => !found.has(c));
  }

  /** Of `roots`, those that sit (at any depth) inside another of them: exporting them again would list their codes twice. */
  async nested(roots: readonly string[]): Promise<string[]> {
    if (roots.length < 2) return [];
    const marks = roots.map(() => '?').join(', ');
    const rows = rawRows<{ code: string }>(
      await this.knex.raw(
        `WITH RECURSIVE up(code, anc, depth) AS (
           SELECT code, parent_code, 0 FROM packs WHERE code IN (${marks})
           UNION ALL
           SELECT up.code, p.parent_code, up.depth + 1 FROM up JOIN packs p ON p.code = up.anc WHERE up.depth < ?
         )
         SELECT DISTINCT code FROM up WHERE anc IN (${marks})`,
        [...roots, MAX_DEPTH, ...roots],
      ),
    );
    return rows.map((r) => r.code);
  }

  /** The packs one import created, keyset-paged by code. */
  async *importPages(importId: number, pageSize = 5000): AsyncGenerator<PackExportRow[]> {
    let after = '';
    for (;;) {
      const rows = (await this.knex
        .select(this.knex.raw(COLUMNS))
        .from('packs as p')
        .leftJoin('products as pr', 'pr.id', 'p.product_id')
        .where('p.import_id', importId)
        .andWhere('p.code', '>', after)
        .orderBy('p.code')
        .limit(pageSize)) as PackRecord[];
      if (rows.length === 0) return;
      yield rows.map(toRow);
      after = rows[rows.length - 1]!.code;
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Whole trees under `roots`, a page of roots at a time (keyset by root code), each tree top
   * down. A case holds a few hundred packs, so a page of 200 roots stays a bounded read.
   */
  async *treePages(roots: readonly string[], rootsPerPage = 200): AsyncGenerator<PackExportRow[]> {
    const sorted = [...new Set(roots)].sort();
    for (let i = 0; i < sorted.length; i += rootsPerPage) {
      const page = sorted.slice(i, i + rootsPerPage);
      const rows = rawRows<PackRecord>(
        await this.knex.raw(
          `WITH RECURSIVE tree(code, root, depth) AS (
             SELECT code, code, 0 FROM packs WHERE code IN (${page.map(() => '?').join(', ')})
             UNION ALL
             SELECT c.code, tree.root, tree.depth + 1 FROM packs c JOIN tree ON c.parent_code = tree.code WHERE tree.depth < ?
           )
           SELECT ${COLUMNS}, tree.depth FROM tree JOIN packs p ON p.code = tree.code LEFT JOIN products pr ON pr.id = p.product_id
           ORDER BY tree.root, tree.depth, p.code`,
          [...page, MAX_DEPTH],
        ),
      );
      if (rows.length > 0) yield rows.map(toRow);
    }
  }
}
