import { loadNodeHid, type HidBackend } from './hid/backend.js';
import { keyboardReportDecoder, posReportDecoder } from './hid/decoders.js';
import { HidScannerDriver, type HidMatch } from './hid/hid-driver.js';
import { SerialScannerDriver } from './serial/serial-driver.js';
import type { SuffixName } from './serial/suffix-framer.js';
import type { FeedbackProtocol } from './feedback.js';
import type { ScannerDriver, TransportKind } from './types.js';
import { VirtualScannerDriver } from './virtual/virtual-driver.js';

export interface DriverBinding {
  deviceId: string;
  transport: TransportKind;
  path: string | null;
  options: {
    baudRate?: number;
    suffix?: SuffixName;
    interByteTimeoutMs?: number;
    script?: string[];
    intervalMs?: number;
    feedback?: FeedbackProtocol;
  };
}

export type DriverFactory = (binding: DriverBinding) => Promise<ScannerDriver>;

/** Device id of a serial/pty path, the form GET /api/devices reports. */
export const serialDeviceId = (path: string): string => `serial:${path}`;

export function createDriverFactory(deps: { hidBackend?: HidBackend } = {}): DriverFactory {
  return async (b) => {
    switch (b.transport) {
      case 'serial':
        if (!b.path) throw new Error('a serial scanner needs a path');
        return new SerialScannerDriver({ path: b.path, deviceId: b.deviceId, ...pick(b.options, ['baudRate', 'suffix', 'interByteTimeoutMs', 'feedback']) });
      case 'virtual':
        return new VirtualScannerDriver({ deviceId: b.deviceId, script: b.options.script, intervalMs: b.options.intervalMs, loop: true });
      case 'hid-pos':
      case 'hid-keyboard': {
        const backend = deps.hidBackend ?? (await requireHid());
        const decoder = b.transport === 'hid-pos' ? posReportDecoder() : keyboardReportDecoder(b.options.suffix);
        return new HidScannerDriver(b.deviceId, b.transport, parseHidMatch(b.deviceId, b.path), backend, decoder, b.options.feedback);
      }
    }
  };
}

async function requireHid(): Promise<HidBackend> {
  const load = await loadNodeHid();
  if (!load.ok) throw new Error(load.reason);
  return load.backend;
}

/** `hid:vvvv:pppp:<serial|path>` → what identifies the device across replugs. */
export function parseHidMatch(deviceId: string, path: string | null): HidMatch {
  const m = /^hid:([0-9a-f]{4}):([0-9a-f]{4}):(.*)$/i.exec(deviceId);
  if (!m) throw new Error(`not a HID device id: ${deviceId}`);
  const [, vid = '', pid = '', rest = ''] = m;
  const byPath = rest.startsWith('/');
  return {
    vendorId: Number.parseInt(vid, 16),
    productId: Number.parseInt(pid, 16),
    ...(byPath ? { path: path ?? rest } : { serialNumber: rest, ...(path ? { path } : {}) }),
  };
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
