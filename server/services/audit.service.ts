import crypto from 'node:crypto';
import type { Knex } from 'knex';
import type { AuditRepository, AuditRow } from '../../db/repositories/audit.repository.js';
import { withWriteTx } from '../../db/repositories/tx.js';
import { auditQuery, type AuditEntryView, type AuditQuery, type AuditVerifyView } from '../contract/accounts.js';
import { CHAIN_START, checkLink, entryHash, GENESIS_HASH, type BrokenLink, type ChainCursor, type JsonValue } from '../security/audit-chain.js';
import { parseOr400 } from '../validate.js';

/** What the audit log records (issue 4 §6). Detail never holds a secret or clear personal data. */
export type AuditAction =
  | 'admin.bootstrapped'
  | 'login.succeeded'
  | 'login.failed'
  | 'login.refused_locked'
  | 'logout'
  | 'session.unit_chosen'
  | 'password.changed'
  | 'password.change_failed'
  | 'password.reset'
  | 'unit.created'
  | 'unit.updated'
  | 'unit.credentials_changed'
  | 'operator.created'
  | 'operator.updated'
  | 'operator.station_credentials_changed'
  | 'operator.bound'
  | 'operator.unbound'
  | 'grant.added'
  | 'grant.revoked'
  | 'station.unlocked'
  | 'station.unlock_failed'
  | 'personal_data.unmasked'
  | 'export.created';

export interface AuditActor {
  id: number | null;
  name: string;
}
export const SYSTEM_ACTOR: AuditActor = { id: null, name: 'system' };

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  unitId?: number | null;
  detail?: { [key: string]: JsonValue };
}

const VERIFY_PAGE = 1000;

export class AuditService {
  readonly #sealKey: Buffer | undefined;

  /** `sealKey` (derived from the key file) lets the verifier notice entries cut off the end. */
  constructor(
    private readonly knex: Knex,
    private readonly repo: AuditRepository,
    sealKey: Buffer | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.#sealKey = sealKey;
  }

  /** Appends inside the caller's write transaction (see withWriteTx), so the entry commits with the change. */
  async append(trx: Knex.Transaction, input: AuditInput): Promise<AuditRow> {
    const tail = await this.repo.tail(trx);
    const fields = {
      seq: (tail?.seq ?? 0) + 1,
      at: this.now(),
      actorId: input.actor.id,
      actor: input.actor.name.slice(0, 64),
      action: input.action,
      unitId: input.unitId ?? null,
      detail: input.detail ?? {},
    };
    const prevHash = tail?.hash ?? GENESIS_HASH;
    const hash = entryHash(prevHash, fields);
    const row: AuditRow = { ...fields, detail: JSON.stringify(fields.detail), prevHash, hash };
    await this.repo.insert(trx, row);
    if (this.#sealKey) await this.repo.setHead(trx, this.seal({ seq: row.seq, hash }));
    return row;
  }

  /** For events with no other state change (a failed login): its own transaction. */
  async record(input: AuditInput): Promise<AuditRow> {
    return withWriteTx(this.knex, (trx) => this.append(trx, input));
  }

  async list(query: AuditQuery): Promise<AuditEntryView[]> {
    const q = parseOr400(auditQuery, query);
    const rows = await this.repo.list({ limit: q.limit, before: q.before, action: q.action });
    return rows.map((r) => ({ seq: r.seq, at: r.at, actor: r.actor, action: r.action, unitId: r.unitId, detail: parseDetail(r.detail) ?? {}, hash: r.hash }));
  }

  /** Walks the whole chain in pages and reports the first broken link (npm run audit:verify). */
  async verify(): Promise<AuditVerifyView> {
    let prev: ChainCursor = CHAIN_START;
    let count = 0;
    for (;;) {
      const page = await this.repo.pageAfter(prev.seq, VERIFY_PAGE);
      for (const r of page) {
        const detail = parseDetail(r.detail);
        const broken: BrokenLink | undefined = detail
          ? checkLink(prev, { ...r, detail })
          : { seq: r.seq, reason: 'unreadable', detail: `entry ${r.seq} holds unreadable detail` };
        if (broken) return { ok: false, count, broken, headChecked: false };
        prev = { seq: r.seq, hash: r.hash };
        count++;
      }
      if (page.length < VERIFY_PAGE) break;
    }
    if (!this.#sealKey) return { ok: true, count, headChecked: false };
    const broken = this.checkHead(await this.repo.head(), prev);
    return broken ? { ok: false, count, broken, headChecked: true } : { ok: true, count, headChecked: true };
  }

  private seal(c: ChainCursor): string {
    const mac = crypto.createHmac('sha256', this.#sealKey!).update(`${c.seq}.${c.hash}`).digest('hex');
    return `${c.seq}.${c.hash}.${mac}`;
  }

  private checkHead(head: string | undefined, last: ChainCursor): BrokenLink | undefined {
    if (head === undefined) {
      return last.seq === 0 ? undefined : { seq: last.seq, reason: 'head_mismatch', detail: 'the sealed head of the log is missing' };
    }
    const [seq, hash] = head.split('.');
    if (this.seal({ seq: Number(seq), hash: hash ?? '' }) !== head) {
      return { seq: last.seq, reason: 'head_mismatch', detail: 'the sealed head of the log was altered' };
    }
    if (Number(seq) !== last.seq || hash !== last.hash) {
      return { seq: last.seq + 1, reason: 'head_mismatch', detail: `the log ends at entry ${last.seq} but was sealed at entry ${seq}: entries were removed from its end` };
    }
    return undefined;
  }
}

function parseDetail(text: string): { [key: string]: JsonValue } | undefined {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as { [key: string]: JsonValue }) : undefined;
  } catch {
    return undefined;
  }
}
