import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { WalCheckpointer } from './checkpointer.js';
import { migrationSource } from './migrations/index.js';

export interface DbOptions {
  /** Directory holding the embedded SQLite file. */
  dataDir: string;
  /** `postgres://…` for a shared database; empty = embedded SQLite. */
  url?: string;
  /** File name inside dataDir (tests and benchmarks use their own). */
  fileName?: string;
}

export interface Db {
  knex: Knex;
  dialect: 'sqlite' | 'postgres';
  /** Flushes the WAL into the main file and closes every connection. */
  close(): Promise<void>;
}

interface SqliteConnection {
  exec(sql: string, cb: (err: Error | null) => void): void;
}

// WAL lets the UI read while a scan commits; NORMAL is durable across process crashes in WAL mode
// (only an OS crash can lose the last transactions) and keeps a commit well under a millisecond.
const SQLITE_PRAGMAS = [
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  'PRAGMA foreign_keys = ON',
  'PRAGMA busy_timeout = 5000',
  'PRAGMA temp_store = MEMORY',
  // 64 MiB page cache: the code indexes of a year's journal stay in memory instead of re-read per scan.
  'PRAGMA cache_size = -65536',
  // Checkpoints are done by WalCheckpointer on its own connection, never by a committing scan.
  'PRAGMA wal_autocheckpoint = 0',
].join('; ');

export function sqliteFilePath(opts: DbOptions): string {
  return path.join(opts.dataDir, opts.fileName ?? 'tracedock.sqlite');
}

export async function openDb(opts: DbOptions): Promise<Db> {
  const url = opts.url?.trim();
  if (url) {
    const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 10 } });
    await knex.migrate.latest({ migrationSource });
    return { knex, dialect: 'postgres', close: () => knex.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const knex = knexFactory({
    client: 'sqlite3',
    connection: { filename: sqliteFilePath(opts) },
    useNullAsDefault: true,
    // One connection: SQLite serialises writers anyway, and one connection keeps our
    // transactions strictly ordered (scan order is part of the record).
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: SqliteConnection, done: (err: Error | null, conn: SqliteConnection) => void) => {
        conn.exec(SQLITE_PRAGMAS, (err) => done(err, conn));
      },
    },
  });
  await knex.migrate.latest({ migrationSource });
  const checkpointer = new WalCheckpointer(sqliteFilePath(opts));
  await checkpointer.start();
  return {
    knex,
    dialect: 'sqlite',
    async close() {
      await checkpointer.stop();
      try {
        await knex.raw('PRAGMA wal_checkpoint(TRUNCATE)');
      } finally {
        await knex.destroy();
      }
    },
  };
}
