import type { Db } from '../../db/connection.js';
import { AuditRepository } from '../../db/repositories/audit.repository.js';
import { GrantsRepository } from '../../db/repositories/grants.repository.js';
import { OperatorsRepository } from '../../db/repositories/operators.repository.js';
import { SessionsRepository } from '../../db/repositories/sessions.repository.js';
import { UnitsRepository } from '../../db/repositories/units.repository.js';
import { BlindIndex, FieldCipher } from '../security/field-crypto.js';
import { loadOrCreateKey, type LoadedKey } from '../security/key-file.js';
import { AuditService } from './audit.service.js';
import { AuthService, type AuthOptions } from './auth.service.js';
import { OperatorsService } from './operators.service.js';
import { StationLockService } from './station-lock.service.js';
import { UnitsService } from './units.service.js';

export interface Accounts {
  key: LoadedKey;
  cipher: FieldCipher;
  repos: { units: UnitsRepository; operators: OperatorsRepository; grants: GrantsRepository; sessions: SessionsRepository; audit: AuditRepository };
  audit: AuditService;
  auth: AuthService;
  units: UnitsService;
  operators: OperatorsService;
  stationLock: StationLockService;
}

/**
 * Wires the account services over an open database. Loads (or on first start creates) the key
 * file first: it throws KeyFileError — refusing to start — when the database was encrypted under
 * a key file that is now missing or different.
 */
export async function createAccounts(db: Db, dataDir: string, options: AuthOptions = {}): Promise<Accounts> {
  const key = await loadOrCreateKey(dataDir, db.knex);
  const now = options.now ?? Date.now;
  const cipher = new FieldCipher(key.key);
  const repos = {
    units: new UnitsRepository(db.knex),
    operators: new OperatorsRepository(db.knex),
    grants: new GrantsRepository(db.knex),
    sessions: new SessionsRepository(db.knex),
    audit: new AuditRepository(db.knex),
  };
  const audit = new AuditService(db.knex, repos.audit, key.key.derive('audit-seal'), now);
  const auth = new AuthService(db.knex, repos, audit, { ...options, now });
  const units = new UnitsService(db.knex, repos.units, repos.grants, cipher, audit, auth, now);
  const badges = new BlindIndex(key.key);
  const operators = new OperatorsService(db.knex, repos, cipher, badges, audit, auth, now);
  const stationLock = new StationLockService(db.knex, repos.operators, badges, auth.lockout, audit, now);
  return { key, cipher, repos, audit, auth, units, operators, stationLock };
}
