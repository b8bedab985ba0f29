import type { Knex } from 'knex';
import type { SaleCategoryName, SaleListQuery, SaleListView, SaleSummaryView } from '../../contract/retail.js';
import { parseDrugTypeField } from '../../domain/retail-rules/index.js';

type Raw = Record<string, unknown>;

/**
 * Sales as a list (`GET /api/retail/sales`): the open ones a pharmacist can resume at the counter,
 * newest first, with what is on them. Two set-based reads per page, whatever its size.
 */
export async function listSales(knex: Knex, unitId: number, q: SaleListQuery): Promise<SaleListView> {
  const base = () => {
    let b = knex('sales as s').where({ 's.unit_id': unitId, 's.status': q.status });
    if (q.stationId !== undefined) b = b.where({ 's.station_id': q.stationId });
    return b;
  };
  const total = Number(((await base().count({ n: '*' }).first()) as { n: number | string } | undefined)?.n ?? 0);
  const rows = (await base()
    .leftJoin('stations as st', 'st.id', 's.station_id')
    .leftJoin('operators as o', 'o.id', 's.created_by')
    .orderBy([{ column: 's.created_at', order: 'desc' }, { column: 's.id', order: 'desc' }])
    .limit(q.limit)
    .offset(q.offset)
    .select('s.id', 's.number', 's.status', 's.station_id', 'st.name as station_name', 'o.display_name', 's.created_at', 's.completed_at')) as Raw[];
  const ids = rows.map((r) => Number(r.id));
  const lines = ids.length
    ? ((await knex('sale_lines').whereIn('sale_id', ids).groupBy('sale_id', 'categories').select('sale_id', 'categories').count({ lines: '*' }).sum({ packs: 'packs' })) as Raw[])
    : [];
  const bySale = new Map<number, { lines: number; packs: number; categories: Set<SaleCategoryName> }>();
  for (const l of lines) {
    const id = Number(l.sale_id);
    const acc = bySale.get(id) ?? { lines: 0, packs: 0, categories: new Set<SaleCategoryName>() };
    acc.lines += Number(l.lines);
    acc.packs += Number(l.packs);
    for (const c of parseDrugTypeField(String(l.categories)).categories) acc.categories.add(c as SaleCategoryName);
    bySale.set(id, acc);
  }
  const items = rows.map((r): SaleSummaryView => {
    const acc = bySale.get(Number(r.id));
    return {
      id: Number(r.id),
      number: String(r.number),
      status: r.status as SaleSummaryView['status'],
      stationId: r.station_id === null ? null : Number(r.station_id),
      stationName: (r.station_name as string | null) ?? null,
      lines: acc?.lines ?? 0,
      packs: acc?.packs ?? 0,
      categories: (['YB', 'YC', 'YD'] as const).filter((c) => acc?.categories.has(c)),
      createdBy: (r.display_name as string | null) ?? null,
      createdAt: Number(r.created_at),
      completedAt: r.completed_at === null ? null : Number(r.completed_at),
    };
  });
  return { items, total, limit: q.limit, offset: q.offset };
}
