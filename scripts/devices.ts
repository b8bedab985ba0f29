import { discoverDevices } from '../drivers/discovery.js';

/** `npm run devices`: what scanners this machine can see, and why a transport is unavailable. */
const found = await discoverDevices();
for (const [name, a] of Object.entries({ serial: found.serial, hid: found.hid })) {
  console.log(`${name.padEnd(6)} ${a.available ? 'available' : `UNAVAILABLE — ${a.reason}`}`);
}
if (found.devices.length === 0) console.log('\nno devices found (a pty or serial path can still be bound by path)');
for (const d of found.devices) {
  const ids = d.vendorId ? ` ${d.vendorId}:${d.productId}` : '';
  const who = [d.manufacturer, d.product, d.serialNumber && `SN ${d.serialNumber}`].filter(Boolean).join(' ');
  const usage = d.usagePage !== null ? ` usagePage 0x${d.usagePage.toString(16)}` : '';
  console.log(`${d.transport.padEnd(13)} ${d.path}${ids}${usage} ${who}\n${' '.repeat(14)}bind with deviceId ${d.deviceId}`);
}
