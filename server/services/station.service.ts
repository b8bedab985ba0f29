import type { ScansRepository } from '../../db/repositories/scans.repository.js';
import type { StationsRepository } from '../../db/repositories/stations.repository.js';
import type { CreateStationBody } from '../contract/http.js';
import type { StationKind, StationSnapshot, StationView } from '../contract/views.js';
import type { ScannerSupervisor } from '../../drivers/supervisor.js';
import { toScannerStatusView, toScanView, toStationView } from '../views.js';
import { AppError } from './app-error.js';

const RECENT_SCANS = 50;

export class StationService {
  /** Stations are never deleted and their kind never changes: one lookup per station is enough. */
  private readonly kinds = new Map<number, StationKind>();

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

  /** The kind of a station (what business it needs), or undefined for no such station. Cached. */
  async kindOf(id: number): Promise<StationKind | undefined> {
    let kind = this.kinds.get(id);
    if (kind === undefined) {
      kind = (await this.stations.get(id))?.kind;
      if (kind !== undefined) this.kinds.set(id, kind);
    }
    return kind;
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
