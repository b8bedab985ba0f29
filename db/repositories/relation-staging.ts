import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';

/**
 * One staged code: `grp` points at its relation/batch attributes (shared by thousands of codes).
 * A tuple, because it goes straight into the batch's JSON as a row of it: no object per code to
 * build on the thread that also parses the file.
 */
export type StagedRow = readonly [code: string, parent: string | null, level: number, grp: number];

/** The attributes of one `<Relation>`/`<Batch>` pair that the hierarchy keeps. */
export interface StagedGroup {
  grp: number;
  productCode: string | null;
  batchNo: string | null;
  madeDate: string | null;
  validateDate: string | null;
}

/** Children one full parent holds, from the group's package ratio (the caller parses it). */
export interface GroupCapacity {
  grp: number;
  parentLevel: number;
  childLevel: number;
  capacity: number;
}

/** Table names of one import's staging set, already qualified for the dialect. */
export interface StagingTables {
  stage: string;
  group: string;
  cap: string;
}

export const isPostgres = (knex: Knex): boolean => (knex.client.config.client as string) === 'pg';

/**
 * The codes of one relation file before they may touch `packs`. SQLite: a database file ATTACHed
 * to the (single) pooled connection — a TEMP table would live in memory (temp_store = MEMORY) and
 * a million codes would cost ~150 MB of RSS; the attached file is paged through an 8 MB cache and
 * never enters the main WAL. (Packing lines number codes in order, so loading mostly appends and
 * the later passes walk the indexes in order; 32 MB of cache measured no faster and stayed
 * resident while the merge fills the main cache, the import's peak RSS.) PostgreSQL: UNLOGGED
 * tables, because a pool of connections cannot share TEMP tables. Either way one statement per
 * batch, and dropped whatever the outcome.
 */
export class RelationStaging {
  readonly tables: StagingTables;
  private readonly pg: boolean;
  private readonly schema: string;
  private readonly file: string;

  constructor(
    private readonly knex: Knex,
    importId: number,
    stagingDir: string,
  ) {
    this.pg = isPostgres(knex);
    this.schema = `rs_${importId}`;
    this.file = path.join(stagingDir, `relation-import-${importId}.staging.sqlite`);
    this.tables = this.pg
      ? { stage: `relation_stage_${importId}`, group: `relation_group_${importId}`, cap: `relation_cap_${importId}` }
      : { stage: `${this.schema}.stage`, group: `${this.schema}.stage_group`, cap: `${this.schema}.stage_cap` };
  }

  async create(): Promise<void> {
    const t = this.tables;
    if (this.pg) {
      await this.knex.raw(`CREATE UNLOGGED TABLE ${t.stage} (seq bigint NOT NULL, code text NOT NULL, parent text, level integer NOT NULL, grp integer NOT NULL, dups integer NOT NULL DEFAULT 0)`);
    } else {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.rmSync(this.file, { force: true });
      await this.knex.raw(`ATTACH DATABASE ? AS ${this.schema}`, [this.file]);
      // Scratch data: a crash loses nothing that matters, so no journal and no fsync.
      await this.knex.raw(`PRAGMA ${this.schema}.journal_mode = OFF`);
      await this.knex.raw(`PRAGMA ${this.schema}.synchronous = OFF`);
      await this.knex.raw(`PRAGMA ${this.schema}.cache_size = -8192`);
      // Keyed by code, WITHOUT ROWID: one B-tree to maintain while loading instead of a table plus
      // a code index, and every check's lookup of a code finds the whole row there. A repeated
      // code only counts up `dups` (the duplicate check, at no extra pass).
      await this.knex.raw(`CREATE TABLE ${t.stage} (code TEXT PRIMARY KEY, seq INTEGER NOT NULL, parent TEXT, level INTEGER NOT NULL, grp INTEGER NOT NULL, dups INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID`);
      // Maintained while loading, when the database thread waits on the parser anyway; built
      // afterwards it would add to the import's time, and without it the fill check sorts a
      // million rows in memory (temp_store = MEMORY), ~45 MB of peak RSS.
      await this.knex.raw(`CREATE INDEX ${this.schema}.stage_parent ON stage (parent, level, grp)`);
    }
    await this.knex.raw(`CREATE ${this.pg ? 'UNLOGGED ' : ''}TABLE ${t.group} (grp integer PRIMARY KEY, product_code text, batch_no text, made_date text, validate_date text)`);
    await this.knex.raw(
      `CREATE ${this.pg ? 'UNLOGGED ' : ''}TABLE ${t.cap} (grp integer NOT NULL, parent_level integer NOT NULL, child_level integer NOT NULL, capacity integer NOT NULL, PRIMARY KEY (grp, parent_level, child_level))`,
    );
  }

  /** One set-based statement for the whole batch; `seq` keeps the file order for error listings. */
  async addRows(rows: readonly StagedRow[], firstSeq: number): Promise<void> {
    if (rows.length === 0) return;
    const json = JSON.stringify(rows);
    await this.knex.raw(
      this.pg
        ? `INSERT INTO ${this.tables.stage} (seq, code, parent, level, grp)
           SELECT ? + t.n, t.v->>0, t.v->>1, (t.v->>2)::int, (t.v->>3)::int FROM json_array_elements(?::json) WITH ORDINALITY AS t(v, n)`
        : `INSERT INTO ${this.tables.stage} AS s (seq, code, parent, level, grp)
           SELECT ? + key + 1, value->>0, value->>1, value->>2, value->>3 FROM json_each(?) WHERE true
           ON CONFLICT (code) DO UPDATE SET dups = s.dups + 1`,
      [firstSeq - 1, json],
    );
  }

  async addGroups(groups: readonly StagedGroup[], caps: readonly GroupCapacity[]): Promise<void> {
    if (groups.length > 0) {
      await this.knex(this.tables.group).insert(
        groups.map((g) => ({ grp: g.grp, product_code: g.productCode, batch_no: g.batchNo, made_date: g.madeDate, validate_date: g.validateDate })),
      );
    }
    if (caps.length > 0) {
      await this.knex(this.tables.cap).insert(caps.map((c) => ({ grp: c.grp, parent_level: c.parentLevel, child_level: c.childLevel, capacity: c.capacity })));
    }
  }

  /**
   * Ends loading; false when the file repeats a code. PostgreSQL builds its indexes only now (cheaper
   * than per batch, and one INSERT … ON CONFLICT may not touch a row twice, which a file repeating a
   * code within a batch would ask): there a failing unique index is the duplicate check.
   */
  async finishLoading(records: number): Promise<boolean> {
    const { stage } = this.tables;
    if (!this.pg) {
      const [row] = (await this.knex.raw(`SELECT count(*) AS n FROM ${stage}`)) as Array<{ n: number }>;
      return Number(row?.n) === records;
    }
    let unique = true;
    try {
      await this.knex.raw(`CREATE UNIQUE INDEX ${stage}_code ON ${stage} (code)`);
    } catch {
      unique = false;
      await this.knex.raw(`CREATE INDEX ${stage}_code ON ${stage} (code)`);
    }
    await this.knex.raw(`CREATE INDEX ${stage}_parent ON ${stage} (parent, level, grp)`);
    await this.knex.raw(`ANALYZE ${stage}`);
    return unique;
  }

  async drop(): Promise<void> {
    if (this.pg) {
      for (const t of Object.values(this.tables)) await this.knex.raw(`DROP TABLE IF EXISTS ${t}`);
      return;
    }
    try {
      await this.knex.raw(`DETACH DATABASE ${this.schema}`);
    } catch {
      // not attached (create failed half-way): only the file is left to remove
    }
    fs.rmSync(this.file, { force: true });
  }
}

/** Staging files a crashed import left behind (SQLite only; names carry the import id). */
export function leftoverStagingFiles(stagingDir: string): string[] {
  if (!fs.existsSync(stagingDir)) return [];
  return fs
    .readdirSync(stagingDir)
    .filter((f) => /^relation-import-\d+\.staging\.sqlite/.test(f))
    .map((f) => path.join(stagingDir, f));
}
