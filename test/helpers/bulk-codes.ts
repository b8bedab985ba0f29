import type { Knex } from 'knex';
import { PREFIX } from './dock.js';

/**
 * A big case for query and export tests, made the way a relation import stores one (set-based,
 * one statement per level): one case holding `middles` middle packs of `perMiddle` units each.
 * Codes are the dock fixture's prefixes with a serial starting at `start`, so two calls with
 * different starts never collide.
 */
export async function seedBigCase(knex: Knex, o: { middles: number; perMiddle: number; start: number; batch: string }): Promise<{ case: string; units: number }> {
  const at = Date.now();
  const code = (prefix: string, n: string) => `'${prefix}' || substr('0000000000000' || (${n}), -13, 13)`;
  const top = `${PREFIX.case}${String(o.start).padStart(13, '0')}`;
  await knex('packs').insert({ code: top, level: 3, parent_code: null, batch: o.batch, expiry: '2029-06-30', source: 'import', updated_at: at });
  await knex.raw(
    `WITH RECURSIVE m(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM m WHERE i + 1 < ?)
     INSERT INTO packs (code, level, parent_code, batch, expiry, source, updated_at)
     SELECT ${code(PREFIX.middle, `? + i`)}, 2, ?, ?, '2029-06-30', 'import', ? FROM m`,
    [o.middles, o.start, top, o.batch, at],
  );
  await knex.raw(
    `WITH RECURSIVE u(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM u WHERE i + 1 < ?)
     INSERT INTO packs (code, level, parent_code, batch, expiry, source, updated_at)
     SELECT ${code(PREFIX.unit, `? + i`)}, 1, ${code(PREFIX.middle, `? + i / ?`)}, ?, '2029-06-30', 'import', ? FROM u`,
    [o.middles * o.perMiddle, o.start, o.start, o.perMiddle, o.batch, at],
  );
  return { case: top, units: o.middles * o.perMiddle };
}
