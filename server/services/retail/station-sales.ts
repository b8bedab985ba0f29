import type { Knex } from 'knex';
import { AppError } from '../app-error.js';

/** A sale can sit only on a station of kind `retail`: that is where a scanner feeds sales. */
export async function requireRetailStation(q: Knex | Knex.Transaction, stationId: number): Promise<void> {
  const s = (await q('stations').where({ id: stationId }).first('kind')) as { kind: string } | undefined;
  if (!s) throw new AppError('STATION_NOT_FOUND', 404);
  if (s.kind !== 'retail') throw new AppError('SALE_STATION_NOT_RETAIL', 409);
}

/**
 * A station works on one open sale at a time (the one its scanner feeds): the others it had are
 * parked — still open, on no station — one statement.
 */
export async function parkOthers(trx: Knex.Transaction, unitId: number, stationId: number, keepSaleId: number | null): Promise<void> {
  let b = trx('sales').where({ unit_id: unitId, station_id: stationId, status: 'open' });
  if (keepSaleId !== null) b = b.whereNot({ id: keepSaleId });
  await b.update({ station_id: null });
}
