import type { Business } from '../contract/accounts.js';
import type { StationKind } from '../contract/views.js';
import { AppError } from './app-error.js';
import type { AuthService, SessionContext } from './auth.service.js';
import type { ScanActor } from './scan.service.js';
import type { StationService } from './station.service.js';

/** The business an operator needs to work at a station of this kind. */
export const STATION_BUSINESS: Record<StationKind, Business> = {
  receiving: 'receiving',
  dispatch: 'dispatch',
  aggregation: 'aggregation',
  retail: 'retail',
  query: 'query',
};

/** Dock work needs the initial password changed and a unit chosen (NHSA: 选择单位后办理业务). */
export function assertReady(ctx: SessionContext): void {
  if (ctx.mustChangePassword) throw new AppError('PASSWORD_CHANGE_REQUIRED', 403);
  if (ctx.unitId === null) throw new AppError('UNIT_NOT_CHOSEN', 403);
}

/** Checks that the caller may work at the station and names the actor every scan will carry. */
export class StationAccess {
  constructor(
    private readonly auth: AuthService,
    private readonly stations: StationService,
  ) {}

  /** The business this station needs, and the unit the screen works for. */
  async requirement(ctx: SessionContext, stationId: number): Promise<{ business: Business; unitId: number }> {
    assertReady(ctx);
    return { business: await this.businessOf(stationId), unitId: ctx.unitId! };
  }

  async actorFor(ctx: SessionContext, stationId: number): Promise<ScanActor> {
    const { unitId } = await this.auth.authorize(ctx, await this.businessOf(stationId));
    return { operatorId: ctx.operatorId, unitId };
  }

  private async businessOf(stationId: number): Promise<Business> {
    const kind = await this.stations.kindOf(stationId);
    if (kind === undefined) throw new AppError('STATION_NOT_FOUND', 404);
    return STATION_BUSINESS[kind];
  }
}

/**
 * Who is signed in at which station: the operator of a station screen (socket) that joined it.
 * Hardware scanners bound to the station scan on behalf of the most recent one; with nobody
 * there, their scans are kept but not accepted (reason `station_unattended`).
 */
export class StationPresence {
  private readonly byStation = new Map<number, Map<string, ScanActor>>();

  join(stationId: number, socketId: string, actor: ScanActor): void {
    const here = this.byStation.get(stationId) ?? new Map<string, ScanActor>();
    here.delete(socketId); // re-join moves to the end: the latest screen wins
    here.set(socketId, actor);
    this.byStation.set(stationId, here);
  }

  leave(stationId: number, socketId: string): void {
    this.byStation.get(stationId)?.delete(socketId);
  }

  leaveAll(socketId: string): void {
    for (const here of this.byStation.values()) here.delete(socketId);
  }

  current(stationId: number): ScanActor | null {
    const here = this.byStation.get(stationId);
    if (!here || here.size === 0) return null;
    return [...here.values()][here.size - 1] ?? null;
  }
}
