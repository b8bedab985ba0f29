import type { ScansRepository } from '../../db/repositories/scans.repository.js';
import type { StationsRepository } from '../../db/repositories/stations.repository.js';
import type { CreateStationBody } from '../contract/http.js';
import type { StationKind, StationSnapshot, StationView } from '../contract/views.js';
import type { ScannerSupervisor } from '../../drivers/supervisor.js';
import { toScannerStatusView, toScanView, toStationView } from '../views.js';
import { AppError } from './app-error.js';

const RECENT_SCANS = 50;

export class StationService {
  constructor(
    private readonly stations: StationsRepository,
    private readonly scans: ScansRepository,
    private readonly supervisor: ScannerSupervisor,
  ) {}

  async list(): Promise<StationView[]> {
    return (await this.stations.list()).map(toStationView);
  }

  async create(body: CreateStationBody): Promise<StationView> {
    if (await this.stations.findByName(body.name)) throw new AppError('STATION_NAME_TAKEN', 409);
    return toStationView(await this.stations.create({ name: body.name, kind: body.kind as StationKind }));
  }

  async require(id: number): Promise<StationView> {
    const s = await this.stations.get(id);
    if (!s) throw new AppError('STATION_NOT_FOUND', 404);
    return toStationView(s);
  }

  /** Everything a (re)connecting station screen needs; deltas follow over the socket. */
  async snapshot(id: number, now = new Date()): Promise<StationSnapshot> {
    const station = await this.require(id);
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    const [recent, counters] = await Promise.all([
      this.scans.list({ stationId: id, limit: RECENT_SCANS }),
      this.scans.countsSince(id, midnight.getTime()),
    ]);
    return {
      station,
      recent: recent.map(toScanView),
      counters,
      scanners: this.supervisor
        .statuses()
        .filter((s) => s.stationId === id)
        .map(toScannerStatusView),
      serverTime: now.getTime(),
    };
  }
}
