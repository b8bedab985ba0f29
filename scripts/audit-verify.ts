/**
 * npm run audit:verify — checks the audit log's hash chain (and, with the key file, its sealed
 * head) in the configured data directory / database. Prints OK with the entry count, or the
 * first broken link. Exit code 0 = intact, 1 = broken, 2 = could not check.
 */
import { openDb } from '../db/connection.js';
import { AuditRepository } from '../db/repositories/audit.repository.js';
import { loadConfig } from '../server/config.js';
import { AuditService } from '../server/services/audit.service.js';
import { KeyFileError, loadOrCreateKey } from '../server/security/key-file.js';

async function main(): Promise<number> {
  const config = loadConfig();
  const db = await openDb({ dataDir: config.dataDir, url: config.dbUrl });
  try {
    let sealKey: Buffer | undefined;
    try {
      sealKey = (await loadOrCreateKey(config.dataDir, db.knex, { create: false })).key.derive('audit-seal');
    } catch (err) {
      if (!(err instanceof KeyFileError)) throw err;
      console.warn(`warning: ${err.message}\nwarning: checking the chain only; entries removed from its end cannot be detected without the key file.`);
    }
    const report = await new AuditService(db.knex, new AuditRepository(db.knex), sealKey).verify();
    if (report.ok) {
      console.log(`OK: audit log intact, ${report.count} entries${report.headChecked ? ' (sealed head checked)' : ''}`);
      return 0;
    }
    const b = report.broken!;
    console.log(`BROKEN at entry ${b.seq}: ${b.reason} — ${b.detail} (${report.count} entries before it are intact)`);
    return 1;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`audit:verify could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
