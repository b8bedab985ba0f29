import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { DriverBinding } from './factory.js';
import { ScannerSupervisor, type SupervisedBinding, type SupervisedStatus } from './supervisor.js';
import type { DriverEvents, ScannerDriver } from './types.js';

/** A driver whose device presence the test controls (the supervisor's logic needs no hardware). */
class ControlledDriver extends EventEmitter<DriverEvents> implements ScannerDriver {
  readonly transport = 'virtual' as const;
  isOpen = false;
  closes = 0;
  constructor(
    readonly deviceId: string,
    private readonly world: { present: boolean; opens: number },
  ) {
    super();
  }
  async open() {
    this.world.opens++;
    if (!this.world.present) throw new Error('device not present (unplugged?)');
    this.isOpen = true;
  }
  async close() {
    this.closes++;
    this.isOpen = false;
  }
  unplug() {
    this.isOpen = false;
    this.emit('disconnected', { deviceId: this.deviceId, reason: 'unplugged' });
  }
}

function setup(present: boolean) {
  const world = { present, opens: 0 };
  const drivers: ControlledDriver[] = [];
  const warnings: string[] = [];
  const sup = new ScannerSupervisor(
    async (b: DriverBinding) => {
      const d = new ControlledDriver(b.deviceId, world);
      drivers.push(d);
      return d;
    },
    { info: () => {}, warn: (_o, msg) => warnings.push(msg) },
    { initialMs: 5, maxMs: 20 },
  );
  const statuses: SupervisedStatus[] = [];
  sup.on('status', (s) => statuses.push(s));
  const binding: SupervisedBinding = { scannerId: 1, deviceId: 'v:1', transport: 'virtual', path: null, options: {}, stationId: 7, label: null };
  return { world, drivers, warnings, sup, statuses, binding };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('scanner supervisor', () => {
  it('an unplugged device goes offline and is reconnected when it returns', async () => {
    const t = setup(true);
    expect((await t.sup.bind(t.binding)).state).toBe('online');
    t.world.present = false;
    t.drivers[0]!.unplug();
    expect(t.sup.status('v:1')?.state).toBe('offline');
    expect(t.sup.status('v:1')?.reason).toBe('unplugged');
    await sleep(60);
    t.world.present = true;
    await sleep(60);
    expect(t.sup.status('v:1')?.state).toBe('online');
    // The reason may change while offline (unplugged → not present); the state sequence may not.
    const states = t.statuses.map((s) => s.state).filter((st, i, a) => st !== a[i - 1]);
    expect(states).toEqual(['online', 'offline', 'online']);
    const pairs = t.statuses.map((s) => `${s.state}/${s.reason}`);
    expect(pairs.filter((p, i) => p === pairs[i - 1])).toEqual([]);
    await t.sup.closeAll();
  });

  it('a device we closed is not reconnected', async () => {
    const t = setup(true);
    await t.sup.bind(t.binding);
    const opens = t.world.opens;
    await t.sup.unbind('v:1');
    await sleep(50);
    expect(t.world.opens).toBe(opens);
    expect(t.drivers[0]!.closes).toBe(1);
    expect(t.sup.statuses()).toEqual([]);
  });

  it('repeated identical failures are reported once, not on every retry', async () => {
    const t = setup(false);
    const s = await t.sup.bind(t.binding);
    expect(s.state).toBe('offline');
    expect(s.reason).toMatch(/not present/);
    await sleep(120);
    expect(t.world.opens).toBeGreaterThan(3);
    expect(t.statuses.filter((x) => x.state === 'offline')).toHaveLength(1);
    expect(t.warnings.filter((w) => /offline/.test(w))).toHaveLength(1);
    await t.sup.closeAll();
  });

  it('tags scans with the bound station and counts scans per minute', async () => {
    const t = setup(true);
    const scans: Array<{ stationId: number }> = [];
    t.sup.on('scan', (s) => scans.push(s));
    await t.sup.bind(t.binding);
    for (let i = 0; i < 3; i++)
      t.drivers[0]!.emit('scan', { deviceId: 'v:1', bytes: new Uint8Array([65]), text: 'A', validUtf8: true, receivedAt: Date.now() });
    expect(scans.map((s) => s.stationId)).toEqual([7, 7, 7]);
    expect(t.sup.status('v:1')?.scansPerMinute).toBe(3);
    expect(t.sup.status('v:1')?.lastScanAt).toBeGreaterThan(0);
    await t.sup.closeAll();
  });
});
