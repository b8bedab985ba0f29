import { rawRows, type Queryable } from './tx.js';

type Raw = Record<string, unknown>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** What the code card shows: state at the unit, else what the hierarchy knows, with product and document. */
export interface CardRow {
  known: boolean;
  state: string | null;
  level: number | null;
  product: { id: number; name: string; nhsaCode: string | null; gtin: string | null } | null;
  batch: string | null;
  expiry: string | null;
  document: { id: number; number: string; direction: string } | null;
  parentCode: string | null;
  updatedAt: number | null;
}

/**
 * "Where is this code": the dock's lookup and the supervisor's timeline read the same card, the
 * state at the unit else what the hierarchy knows, and what the code holds.
 */
export class CodeCardRepository {
  /** The card in one statement: state, level, product with its commodity code, batch, document, parent. */
  async card(q: Queryable, unitId: number, code: string): Promise<CardRow> {
    const [r] = rawRows<Raw>(
      await q.raw(
        `SELECT cs.code AS state_code, p.code AS pack_code, cs.state, COALESCE(cs.level, p.level) AS level, pr.id AS product_id, pr.name AS product_name,
                pr.nhsa_code, (SELECT pc.value FROM product_codes pc WHERE pc.product_id = pr.id AND pc.level = COALESCE(cs.level, p.level)
                  AND pc.kind = 'gtin' AND pc.status = 'active' LIMIT 1) AS gtin,
                COALESCE(cs.batch, p.batch) AS batch, COALESCE(cs.expiry, p.expiry) AS expiry, d.id AS document_id, d.number, d.direction,
                p.parent_code, cs.updated_at
         FROM (SELECT CAST(? AS TEXT) AS code) x LEFT JOIN code_states cs ON cs.unit_id = ? AND cs.code = x.code LEFT JOIN packs p ON p.code = x.code
         LEFT JOIN products pr ON pr.id = COALESCE(cs.product_id, p.product_id) LEFT JOIN documents d ON d.id = cs.document_id`,
        [code, unitId],
      ),
    );
    return {
      known: r?.state_code != null || r?.pack_code != null,
      state: str(r?.state),
      level: num(r?.level),
      product: r?.product_id != null ? { id: Number(r.product_id), name: String(r.product_name), nhsaCode: str(r.nhsa_code), gtin: str(r.gtin) } : null,
      batch: str(r?.batch),
      expiry: str(r?.expiry),
      document: r?.document_id != null ? { id: Number(r.document_id), number: String(r.number), direction: String(r.direction) } : null,
      parentCode: str(r?.parent_code),
      updatedAt: num(r?.updated_at),
    };
  }

  /** Direct children and the units (level 1) anywhere below, in one walk of the subtree. */
  async holds(q: Queryable, code: string): Promise<{ children: number; units: number }> {
    const [r] = rawRows<Raw>(
      await q.raw(
        `WITH RECURSIVE sub(code, level, depth) AS (SELECT code, level, 1 FROM packs WHERE parent_code = ?
           UNION ALL SELECT p.code, p.level, sub.depth + 1 FROM packs p JOIN sub ON p.parent_code = sub.code)
         SELECT SUM(CASE WHEN depth = 1 THEN 1 ELSE 0 END) AS children, SUM(CASE WHEN level = 1 THEN 1 ELSE 0 END) AS units FROM sub`,
        [code],
      ),
    );
    return { children: Number(r?.children ?? 0), units: Number(r?.units ?? 0) };
  }
}
