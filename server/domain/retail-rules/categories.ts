/**
 * Key-variety sale categories of the Gansu monitoring platform (DOMAIN.md §7, the `drugType` field):
 * YB prescription drugs (处方药), YC ephedrine-containing compound preparations (含麻黄碱类复方制剂),
 * YD compound preparations containing narcotic or psychotropic substances (含麻精类复方制剂). A
 * product can be several at once (`"YB,YC"`); a product in none is not a key variety.
 */
export const SALE_CATEGORIES = ['YB', 'YC', 'YD'] as const;
export type SaleCategory = (typeof SALE_CATEGORIES)[number];

export function isSaleCategory(s: unknown): s is SaleCategory {
  return s === 'YB' || s === 'YC' || s === 'YD';
}

/**
 * The product flags behind the categories, as the products table stores them (`narcotic_compound`,
 * SQLite gives 0/1) or as the API shows them (`narcoticCompound`, booleans). Either spelling works.
 */
export interface ProductSaleFlags {
  prescription?: boolean | number | null;
  ephedrine?: boolean | number | null;
  narcotic_compound?: boolean | number | null;
  narcoticCompound?: boolean | number | null;
}

/** prescription → YB, ephedrine → YC, narcotic compound → YD. */
export function categoriesOf(flags: ProductSaleFlags): Set<SaleCategory> {
  const out = new Set<SaleCategory>();
  if (flags.prescription) out.add('YB');
  if (flags.ephedrine) out.add('YC');
  if (flags.narcotic_compound || flags.narcoticCompound) out.add('YD');
  return out;
}

/** The Gansu `drugType` value: categories comma-joined in YB, YC, YD order (`"YB,YC"`); '' for none. */
export function drugTypeField(categories: Iterable<SaleCategory>): string {
  const set = new Set(categories);
  return SALE_CATEGORIES.filter((c) => set.has(c)).join(',');
}

/** `"YB,YC"` (spaces, lower case and full-width commas tolerated) → categories; unknown parts are returned apart. */
export function parseDrugTypeField(value: string): { categories: Set<SaleCategory>; unknown: string[] } {
  const categories = new Set<SaleCategory>();
  const unknown: string[] = [];
  for (const part of value.split(/[,，;；\s]+/)) {
    const p = part.trim().toUpperCase();
    if (p === '') continue;
    if (isSaleCategory(p)) categories.add(p);
    else unknown.push(part);
  }
  return { categories, unknown };
}
