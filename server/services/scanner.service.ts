import type { ScannersRepository } from '../../db/repositories/scanners.repository.js';
import type { StationsRepository } from '../../db/repositories/stations.repository.js';
import type { ScannerRow } from '../../db/types.js';
import { discoverDevices } from '../../drivers/discovery.js';
import { serialDeviceId, type DriverBinding } from '../../drivers/factory.js';
import type { HidBackend } from '../../drivers/hid/backend.js';
import type { ScannerSupervisor, SupervisedBinding } from '../../drivers/supervisor.js';
import type { BindScannerBody } from '../contract/http.js';
import type { DevicesView, ScannerStatusView } from '../contract/views.js';
import { toScannerStatusView } from '../views.js';
import { AppError } from './app-error.js';

/** Bindings of devices to stations: persisted, then handed to the supervisor. */
export class ScannerService {
  constructor(
    private readonly scanners: ScannersRepository,
    private readonly stations: StationsRepository,
    private readonly supervisor: ScannerSupervisor,
    private readonly hidBackend?: HidBackend,
  ) {}

  /** Re-opens every saved binding at start-up; missing devices go offline and are retried. */
  async restore(): Promise<void> {
    const rows = (await this.scanners.list()).filter((r) => r.enabled);
    await Promise.all(rows.map((r) => this.supervisor.bind(toBinding(r))));
  }

  async bind(body: BindScannerBody): Promise<ScannerStatusView> {
    if (!(await this.stations.get(body.stationId))) throw new AppError('STATION_NOT_FOUND', 404);
    const deviceId = body.deviceId ?? defaultDeviceId(body);
    const row = await this.scanners.upsert({
      deviceId,
      transport: body.transport,
      path: body.path ?? null,
      label: body.label ?? null,
      stationId: body.stationId,
      options: body.options,
    });
    return toScannerStatusView(await this.supervisor.bind(toBinding(row)));
  }

  list(): ScannerStatusView[] {
    return this.supervisor.statuses().map(toScannerStatusView);
  }

  async devices(): Promise<DevicesView> {
    const [found, bindings] = await Promise.all([discoverDevices(this.hidBackend), this.scanners.list()]);
    const byDevice = new Map(bindings.map((b) => [b.deviceId, b]));
    return {
      devices: found.devices.map((d) => {
        const b = byDevice.get(d.deviceId);
        return { ...d, boundTo: b ? { scannerId: b.id, stationId: b.stationId } : null };
      }),
      transports: { serial: found.serial, hid: found.hid },
    };
  }
}

function defaultDeviceId(body: BindScannerBody): string {
  if (body.transport === 'serial' && body.path) return serialDeviceId(body.path);
  if (body.transport === 'virtual') return `virtual:${body.label ?? body.stationId}`;
  throw new AppError('VALIDATION_FAILED', 400, {
    issues: [{ path: 'deviceId', message: 'HID scanners are bound by the deviceId from GET /api/devices' }],
  });
}

function toBinding(r: ScannerRow): SupervisedBinding {
  return {
    scannerId: r.id,
    deviceId: r.deviceId,
    transport: r.transport,
    path: r.path,
    stationId: r.stationId,
    label: r.label,
    options: r.options as DriverBinding['options'],
  };
}
