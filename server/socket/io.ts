import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import { parseOr400 as parse } from '../validate.js';
import type { Ack } from '../contract/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../contract/events.js';
import type { DomainEventBus } from '../events.js';
import type { Logger } from '../logger.js';
import { AppError } from '../services/app-error.js';
import type { ScannerService } from '../services/scanner.service.js';
import type { AuthService, SessionContext } from '../services/auth.service.js';
import type { ScanService } from '../services/scan.service.js';
import { assertReady, type StationAccess, type StationPresence } from '../services/station-access.js';
import type { StationService } from '../services/station.service.js';
import { tokenFromCookieHeader } from '../http/session-cookie.js';
import type { GrantsRepository } from '../../db/repositories/grants.repository.js';
import { BUSINESS_LABELS, type UnlockBody } from '../contract/accounts.js';
import { undoScanBody } from '../contract/http.js';
import { LocalizedAppError } from '../services/localized-error.js';
import type { StationLockService } from '../services/station-lock.service.js';
import { decodeUtf8 } from '../../drivers/text.js';
import type { UploadSummaryView } from '../contract/uploads.js';
import type { ExportView } from '../contract/queries.js';

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents>;
type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SocketDeps {
  auth: AuthService;
  stationLock: StationLockService;
  grants: GrantsRepository;
  access: StationAccess;
  presence: StationPresence;
  stations: StationService;
  scans: ScanService;
  scanners: ScannerService;
  bus: DomainEventBus;
  log: Logger;
  /** Sends a station's screen its dock context (document, reconciliation, open parent). */
  notifyContext?: (stationId: number) => void;
  /** The upload monitor's summary of a unit (for `uploads.watch` and `upload.status`). */
  uploadSummary?: (unitId: number) => Promise<UploadSummaryView>;
  /** The unit's export jobs (for `exports.watch`). */
  exportList?: (unitId: number) => Promise<ExportView[]>;
}

export const stationRoom = (id: number): string => `station:${id}`;
const sessionRoom = (id: number): string => `session:${id}`;
const DEVICES_ROOM = 'devices';
const uploadsRoom = (unitId: number): string => `uploads:${unitId}`;
const exportsRoom = (unitId: number): string => `exports:${unitId}`;

const stationPayload = z.object({ stationId: z.number().int().positive() }).strict();
const undoPayload = undoScanBody.extend({ stationId: z.number().int().positive(), scanId: z.number().int().positive() });
// The station id rides along with the badge-or-PIN credential, which StationLockService validates
// against the contract's unlockBody.
const unlockPayload = z.object({ stationId: z.number().int().positive() }).passthrough();
const submitPayload = z
  .object({ stationId: z.number().int().positive(), raw: z.string().max(65_536), source: z.enum(['wedge', 'manual']).default('wedge') })
  .strict();

export function attachSocket(httpServer: HttpServer, d: SocketDeps): TypedServer {
  const io: TypedServer = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 256 * 1024 });

  // Facts are forwarded only after the service committed them (the bus is fed post-commit).
  d.bus.on('scan.recorded', (s) => io.to(stationRoom(s.stationId)).emit('scan.recorded', s));
  d.bus.on('scan.rejected', (s) => io.to(stationRoom(s.stationId)).emit('scan.rejected', s));
  d.bus.on('scan.undone', (s) => io.to(stationRoom(s.stationId)).emit('scan.undone', s));
  d.bus.on('scanner.status', (s) => io.to([stationRoom(s.stationId), DEVICES_ROOM]).emit('scanner.status', s));
  d.bus.on('station.context', (c) => {
    io.to(stationRoom(c.stationId)).emit('station.context', c);
    if (c.reconciliation) io.to(stationRoom(c.stationId)).emit('document.progress', c.reconciliation);
  });
  // Each watching unit gets its own summary (the upload business is granted per unit).
  d.bus.on('export.progress', (unitId, p) => void io.to(exportsRoom(unitId)).emit('export.progress', p));
  d.bus.on('uploads.changed', () => {
    for (const room of io.sockets.adapter.rooms.keys()) {
      const unitId = /^uploads:(\d+)$/.exec(room)?.[1];
      if (unitId && d.uploadSummary) void d.uploadSummary(Number(unitId)).then((s) => io.to(room).emit('upload.status', s), (err: Error) => d.log.warn({ err: err.message }, 'upload status not computed'));
    }
  });
  d.bus.on('session.ended', (id) => io.in(sessionRoom(id)).disconnectSockets(true));

  // The handshake carries the same HttpOnly session cookie as HTTP; a forged, expired or revoked
  // (logged-out, replayed) session never gets a connection.
  io.use((socket, next) => {
    const token = tokenFromCookieHeader(socket.handshake.headers.cookie);
    d.auth.authenticate(token).then(
      (ctx) => {
        socket.data.token = token;
        void socket.join(sessionRoom(ctx.sessionId));
        next();
      },
      (err: unknown) => next(new Error(err instanceof AppError ? err.code : 'AUTH_REQUIRED')),
    );
  });

  io.on('connection', (socket: TypedSocket) => {
    // Every command re-checks the session: it may have expired or been logged out meanwhile.
    const caller = async (): Promise<SessionContext> => {
      try {
        return await d.auth.authenticate(socket.data.token);
      } catch (err) {
        setImmediate(() => socket.disconnect(true));
        throw err;
      }
    };
    socket.on('disconnect', () => d.presence.leaveAll(socket.id));
    socket.on('station.join', (payload, ack) =>
      handle(ack, d.log, async () => {
        const { stationId } = parse(stationPayload, payload);
        const actor = await d.access.actorFor(await caller(), stationId);
        const snapshot = await d.stations.snapshot(stationId);
        await socket.join(stationRoom(stationId));
        d.presence.join(stationId, socket.id, actor);
        // The dock context follows the snapshot (receiving, dispatch, aggregation screens need it).
        d.notifyContext?.(stationId);
        return snapshot;
      }),
    );
    socket.on('station.leave', (payload, ack) =>
      handle(ack, d.log, async () => {
        const { stationId } = parse(stationPayload, payload);
        await socket.leave(stationRoom(stationId));
        d.presence.leave(stationId, socket.id);
        return null;
      }),
    );
    socket.on('scan.submit', (payload, ack) =>
      handle(ack, d.log, async () => {
        const p = parse(submitPayload, payload);
        const actor = await d.access.actorFor(await caller(), p.stationId);
        const bytes = Buffer.from(p.raw, 'utf8');
        const { text, validUtf8 } = decodeUtf8(bytes);
        return d.scans.submit({ actor, stationId: p.stationId, deviceId: p.source, source: p.source, bytes, text, validUtf8, receivedAt: Date.now() });
      }),
    );
    socket.on('scan.undo', (payload, ack) =>
      handle(ack, d.log, async () => {
        const p = parse(undoPayload, payload);
        const actor = await d.access.actorFor(await caller(), p.stationId);
        return d.scans.undo({ ...p, source: 'socket', actor });
      }),
    );
    socket.on('station.lock', (payload, ack) =>
      handle(ack, d.log, async () => {
        const { stationId } = parse(stationPayload, payload);
        await caller();
        d.presence.leave(stationId, socket.id);
        return null;
      }),
    );
    socket.on('station.unlock', (payload, ack) =>
      handle(ack, d.log, async () => {
        const { stationId, ...credential } = parse(unlockPayload, payload);
        const ctx = await caller();
        const need = await d.access.requirement(ctx, stationId);
        const who = await d.stationLock.unlock(credential as UnlockBody, stationId);
        // The badge's owner works for the screen's unit: they need the station's business there.
        if (!(await d.grants.has(who.operatorId, need.unitId, need.business))) {
          const label = BUSINESS_LABELS[need.business];
          throw new LocalizedAppError('FORBIDDEN', 403, {
            'zh-CN': `${who.displayName} 在本单位没有「${label['zh-CN']}」业务授权，不能在此工位作业`,
            en: `${who.displayName} is not granted “${label.en}” in this unit and cannot work at this station`,
          });
        }
        d.presence.join(stationId, socket.id, { operatorId: who.operatorId, unitId: need.unitId });
        return { operatorId: who.operatorId, displayName: who.displayName };
      }),
    );
    socket.on('scanners.watch', (_payload, ack) =>
      handle(ack, d.log, async () => {
        assertReady(await caller());
        await socket.join(DEVICES_ROOM);
        return d.scanners.list();
      }),
    );
    socket.on('uploads.watch', (_payload, ack) =>
      handle(ack, d.log, async () => {
        const ctx = await caller();
        const { unitId } = await d.auth.authorize(ctx, 'upload');
        if (!d.uploadSummary) throw new AppError('NOT_FOUND', 404);
        for (const room of socket.rooms) if (room.startsWith('uploads:')) await socket.leave(room);
        await socket.join(uploadsRoom(unitId));
        return d.uploadSummary(unitId);
      }),
    );
    socket.on('exports.watch', (_payload, ack) =>
      handle(ack, d.log, async () => {
        const { unitId } = await d.auth.authorize(await caller(), 'query');
        if (!d.exportList) throw new AppError('NOT_FOUND', 404);
        for (const room of socket.rooms) if (room.startsWith('exports:')) await socket.leave(room);
        await socket.join(exportsRoom(unitId));
        return d.exportList(unitId);
      }),
    );
    socket.on('uploads.unwatch', (_payload, ack) =>
      handle(ack, d.log, async () => {
        for (const room of socket.rooms) if (room.startsWith('uploads:')) await socket.leave(room);
        return null;
      }),
    );
  });
  return io;
}

/** Every command answers exactly one Ack envelope, whatever happens — and never crashes the server. */
async function handle<T>(ack: unknown, log: Logger, fn: () => Promise<T>): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (r: Ack<T>) => void) : () => {};
  try {
    reply({ ok: true, data: await fn() });
  } catch (err) {
    const appErr = err instanceof AppError ? err : new AppError('INTERNAL', 500);
    if (!(err instanceof AppError)) log.error({ err }, 'socket command failed');
    reply({ ok: false, error: appErr.body() });
  }
}
