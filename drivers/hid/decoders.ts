import { SuffixFramer, type SuffixName } from '../serial/suffix-framer.js';
import type { ReportDecoder } from './hid-driver.js';
import { BootKeyboardDecoder } from './keyboard-report.js';
import { PosReportAssembler, type ReportIdMode } from './pos-report.js';

/** HID POS: one scan per completed (possibly multi-report) message; no suffix involved. */
export function posReportDecoder(mode: ReportIdMode = 'auto'): ReportDecoder {
  let asm = new PosReportAssembler(mode);
  return {
    push(report, receivedAt) {
      const { scan, error } = asm.push(report);
      if (!scan) return { scans: [], ...(error ? { error } : {}) };
      return { scans: [{ bytes: scan.bytes, aim: scan.aim || undefined, codeId: scan.codeId || undefined, receivedAt, terminatedBy: 'suffix' }] };
    },
    reset() {
      asm = new PosReportAssembler(mode);
    },
  };
}

/** Keyboard mode: typed bytes framed by the scanner's suffix key (Enter by default). */
export function keyboardReportDecoder(suffix: SuffixName = 'CR'): ReportDecoder {
  let keys = new BootKeyboardDecoder();
  let framer = new SuffixFramer(suffix);
  return {
    push(report, receivedAt) {
      const typed = keys.push(report);
      if (typed.length === 0) return { scans: [] };
      const frames = framer.push(Uint8Array.from(typed));
      return { scans: frames.map((f) => ({ bytes: f.bytes, receivedAt, terminatedBy: f.terminatedBy })) };
    },
    reset() {
      keys = new BootKeyboardDecoder();
      framer = new SuffixFramer(suffix);
    },
  };
}
