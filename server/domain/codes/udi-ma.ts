import { parseYymmdd, parseYyyymmdd } from './gs1-dates.js';

/**
 * MA (IDcode, ISO/IEC 15459 issuing agency "MA") device identifiers used for Chinese UDI:
 * DI `MA.156.M0.<enterprise>.<product>`, then production-identifier units each opened by a
 * dot and a letter — .L batch, .S serial, .M production date, .D sterilisation batch,
 * .V validity date, .E expiry date; dates YYMMDD or YYYYMMDD.
 */
export interface MaUdi {
  di: string;
  batch?: string;
  serial?: string;
  productionDate?: string;
  expiry?: string;
  sterilisationBatch?: string;
}

export type MaUdiResult = { ok: true; udi: MaUdi } | { ok: false; detail: string; di?: string };

function date(v: string, year: number): string | undefined {
  if (!/^\d+$/.test(v)) return undefined;
  if (v.length === 6) return parseYymmdd(v, 0, year, false);
  if (v.length === 8) return parseYyyymmdd(v, 0);
  return undefined;
}

export function isMaUdiLike(s: string): boolean {
  return s.startsWith('MA.');
}

export function parseMaUdi(s: string, currentYear: number): MaUdiResult {
  const parts = s.split('.');
  if (parts.length < 5 || parts.slice(0, 5).some((p) => p === '')) return { ok: false, detail: 'DI incomplete (MA.country.industry.enterprise.product)' };
  if (!/^\d{3}$/.test(parts[1]!)) return { ok: false, detail: `country code "${parts[1]}" is not 3 digits` };
  if (parts.slice(2, 5).some((p) => !/^[0-9A-Za-z]+$/.test(p))) return { ok: false, detail: 'DI contains characters other than letters and digits' };
  const udi: MaUdi = { di: parts.slice(0, 5).join('.') };
  for (const unit of parts.slice(5)) {
    const key = unit.charAt(0);
    const v = unit.slice(1);
    if (v === '' || !/^[0-9A-Za-z\-]+$/.test(v)) return { ok: false, detail: `production unit ".${unit}" is empty or has bad characters`, di: udi.di };
    switch (key) {
      case 'L': udi.batch = v; break;
      case 'S': udi.serial = v; break;
      case 'D': udi.sterilisationBatch = v; break;
      case 'M':
      case 'V':
      case 'E': {
        const d = date(v, currentYear);
        if (d === undefined) return { ok: false, detail: `date ".${unit}" is not a real date`, di: udi.di };
        if (key === 'M') udi.productionDate = d;
        else if (key === 'E' || udi.expiry === undefined) udi.expiry = d;
        break;
      }
      default:
        return { ok: false, detail: `unknown production unit ".${key}"`, di: udi.di };
    }
  }
  return { ok: true, udi };
}
