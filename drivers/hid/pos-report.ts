/**
 * HID POS scanned-data report (USB HID Point of Sale usage tables, usage page 0x8C, usage 0x02),
 * as Honeywell, Zebra and Newland scanners send it:
 *
 *   [reportId=2] len A1 A2 A3 data×56 vendorCodeId reserved flags
 *
 * `len` counts the valid data bytes of this report; flags bit 0 = more reports follow for the same
 * scan. node-hid on hidraw delivers the report id as byte 0; WebHID and some backends strip it,
 * shifting every offset by one.
 */

export type ReportIdMode = 'auto' | 'present' | 'absent';

export interface PosReport {
  aim: string;
  data: Uint8Array;
  codeId: number;
  more: boolean;
}

export const POS_REPORT_ID = 2;
const TRAILER = 3; // vendorCodeId, reserved, flags

export type PosParse = { ok: true; report: PosReport } | { ok: false; error: string };

export function parsePosReport(report: Uint8Array, mode: ReportIdMode = 'auto'): PosParse {
  const hasId = mode === 'present' || (mode === 'auto' && report.length % 2 === 0 && report[0] === POS_REPORT_ID);
  const base = hasId ? 1 : 0;
  if (hasId && report[0] !== POS_REPORT_ID) return { ok: false, error: `not a scanned-data report (id ${report[0]})` };
  const capacity = report.length - base - 4 - TRAILER;
  if (capacity < 1) return { ok: false, error: `report too short (${report.length} bytes)` };
  const len = report[base] ?? 0;
  if (len > capacity) return { ok: false, error: `length byte ${len} exceeds the ${capacity} data bytes of the report` };
  const aim = String.fromCharCode(report[base + 1] ?? 0, report[base + 2] ?? 0, report[base + 3] ?? 0);
  const end = report.length;
  return {
    ok: true,
    report: {
      aim: aim.startsWith(']') ? aim : '',
      data: report.slice(base + 4, base + 4 + len),
      codeId: report[end - 3] ?? 0,
      more: ((report[end - 1] ?? 0) & 0x01) === 1,
    },
  };
}

export interface AssembledScan {
  aim: string;
  bytes: Uint8Array;
  codeId: string;
  reports: number;
}

/** Joins continuation reports into one scan; the AIM id and code id come from the first report. */
export class PosReportAssembler {
  private parts: Uint8Array[] = [];
  private first: PosReport | undefined;

  constructor(private readonly mode: ReportIdMode = 'auto') {}

  push(raw: Uint8Array): { scan?: AssembledScan; error?: string } {
    const parsed = parsePosReport(raw, this.mode);
    if (!parsed.ok) return { error: parsed.error };
    const r = parsed.report;
    this.first ??= r;
    this.parts.push(r.data);
    if (r.more) return {};
    const first = this.first;
    const bytes = concat(this.parts);
    const reports = this.parts.length;
    this.parts = [];
    this.first = undefined;
    return { scan: { aim: first.aim, bytes, codeId: first.codeId ? String.fromCharCode(first.codeId) : '', reports } };
  }

  /** Drops a half-received scan (device reset or unplugged between reports). */
  reset(): void {
    this.parts = [];
    this.first = undefined;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
