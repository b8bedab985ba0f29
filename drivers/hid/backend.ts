import type { EventEmitter } from 'node:events';

/** What we need of node-hid; injected so tests can replay recorded reports. */
export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
  usagePage?: number;
  usage?: number;
  interface?: number;
}

export interface HidHandle extends EventEmitter {
  close(): Promise<void> | void;
  write?(data: number[]): Promise<number> | number;
}

export interface HidBackend {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidHandle>;
}

export type HidBackendLoad = { ok: true; backend: HidBackend } | { ok: false; reason: string };

let cached: Promise<HidBackendLoad> | undefined;

/**
 * node-hid 3.x loads libusb-1.0 even for the hidraw backend; without the Debian package
 * `libusb-1.0-0` the native module fails to load. Load lazily so the rest of the workstation runs
 * and discovery can say why HID is unavailable.
 */
export function loadNodeHid(): Promise<HidBackendLoad> {
  cached ??= (async (): Promise<HidBackendLoad> => {
    try {
      const mod = (await import('node-hid')) as typeof import('node-hid') & { default?: typeof import('node-hid') };
      const hid = mod.default ?? mod;
      return {
        ok: true,
        backend: {
          devices: async () => (await hid.devicesAsync()).filter((d): d is typeof d & { path: string } => !!d.path) as HidDeviceInfo[],
          open: async (path) => (await hid.HIDAsync.open(path)) as unknown as HidHandle,
        },
      };
    } catch (err) {
      const msg = (err as Error).message;
      const reason = /libusb/i.test(msg)
        ? 'node-hid cannot load libusb-1.0: install the Debian package libusb-1.0-0'
        : `node-hid unavailable: ${msg}`;
      return { ok: false, reason };
    }
  })();
  return cached;
}
