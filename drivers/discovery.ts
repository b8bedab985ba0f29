import { SerialPort } from 'serialport';
import { loadNodeHid, type HidBackend } from './hid/backend.js';
import { hidDeviceId } from './hid/hid-driver.js';

export interface DiscoveredDevice {
  deviceId: string;
  transport: 'serial' | 'hid-pos' | 'hid-keyboard';
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
  usagePage: number | null;
  usage: number | null;
}

export interface Availability {
  available: boolean;
  reason: string | null;
}

export interface Discovery {
  devices: DiscoveredDevice[];
  serial: Availability;
  hid: Availability;
}

const HID_POS_USAGE_PAGE = 0x8c;
const GENERIC_DESKTOP = 0x01;
const KEYBOARD_USAGE = 0x06;

/** Lists serial ports and HID scanners; a transport that cannot work here says why instead of throwing. */
export async function discoverDevices(hidBackend?: HidBackend): Promise<Discovery> {
  const [serial, hid] = await Promise.all([listSerial(), listHid(hidBackend)]);
  return { devices: [...serial.devices, ...hid.devices], serial: serial.availability, hid: hid.availability };
}

async function listSerial(): Promise<{ devices: DiscoveredDevice[]; availability: Availability }> {
  try {
    const ports = await SerialPort.list();
    const devices = ports.map(
      (p): DiscoveredDevice => ({
        deviceId: `serial:${p.path}`,
        transport: 'serial',
        path: p.path,
        vendorId: p.vendorId ?? null,
        productId: p.productId ?? null,
        manufacturer: p.manufacturer ?? null,
        product: null,
        serialNumber: p.serialNumber ?? null,
        usagePage: null,
        usage: null,
      }),
    );
    return { devices, availability: { available: true, reason: null } };
  } catch (err) {
    const msg = (err as Error).message;
    const reason = /udevadm|ENOENT/i.test(msg)
      ? 'serial port listing needs udevadm: install the Debian package udev (ports can still be bound by path)'
      : `serial port listing failed: ${msg}`;
    return { devices: [], availability: { available: false, reason } };
  }
}

async function listHid(injected?: HidBackend): Promise<{ devices: DiscoveredDevice[]; availability: Availability }> {
  const load = injected ? ({ ok: true, backend: injected } as const) : await loadNodeHid();
  if (!load.ok) return { devices: [], availability: { available: false, reason: load.reason } };
  try {
    const all = await load.backend.devices();
    const devices = all
      .filter((d) => d.usagePage === HID_POS_USAGE_PAGE || (d.usagePage === GENERIC_DESKTOP && d.usage === KEYBOARD_USAGE))
      .map(
        (d): DiscoveredDevice => ({
          deviceId: hidDeviceId(d),
          transport: d.usagePage === HID_POS_USAGE_PAGE ? 'hid-pos' : 'hid-keyboard',
          path: d.path,
          vendorId: d.vendorId.toString(16).padStart(4, '0'),
          productId: d.productId.toString(16).padStart(4, '0'),
          manufacturer: d.manufacturer ?? null,
          product: d.product ?? null,
          serialNumber: d.serialNumber || null,
          usagePage: d.usagePage ?? null,
          usage: d.usage ?? null,
        }),
      );
    return { devices, availability: { available: true, reason: null } };
  } catch (err) {
    const msg = (err as Error).message;
    const reason = /permission|EACCES/i.test(msg) ? `HID devices not readable: ${msg} (udev rule for hidraw needed)` : `HID listing failed: ${msg}`;
    return { devices: [], availability: { available: false, reason } };
  }
}
