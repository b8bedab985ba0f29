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
import type { ScanService } from '../services/scan.service.js';
import type { StationService } from '../services/station.service.js';
import { decodeUtf8 } from '../../drivers/text.js';

export type TypedServer = Server<ClientToServerEvents, ServerToClientEvents>;
type TypedSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface SocketDeps {
  stations: StationService;
  scans: ScanService;
  scanners: ScannerService;
  bus: DomainEventBus;
  log: Logger;
}

export const stationRoom = (id: number): string => `station:${id}`;
const DEVICES_ROOM = 'devices';

const stationPayload = z.object({ stationId: z.number().int().positive() }).strict();
const undoPayload = z
  .object({ stationId: z.number().int().positive(), scanId: z.number().int().positive(), reason: z.string().trim().min(1).max(200) })
  .strict();
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

  io.on('connection', (socket: TypedSocket) => {
    socket.on('station.join', (payload, ack) =>
      handle(ack, d.log, async () => {
        const { stationId } = parse(stationPayload, payload);
        const snapshot = await d.stations.snapshot(stationId);
        await socket.join(stationRoom(stationId));
        return snapshot;
      }),
    );
    socket.on('station.leave', (payload, ack) =>
      handle(ack, d.log, async () => {
        await socket.leave(stationRoom(parse(stationPayload, payload).stationId));
        return null;
      }),
    );
    socket.on('scan.submit', (payload, ack) =>
      handle(ack, d.log, async () => {
        const p = parse(submitPayload, payload);
        const bytes = Buffer.from(p.raw, 'utf8');
        const { text, validUtf8 } = decodeUtf8(bytes);
        return d.scans.submit({ stationId: p.stationId, deviceId: p.source, source: p.source, bytes, text, validUtf8, receivedAt: Date.now() });
      }),
    );
    socket.on('scan.undo', (payload, ack) =>
      handle(ack, d.log, async () => {
        const p = parse(undoPayload, payload);
        return d.scans.undo({ ...p, source: 'socket' });
      }),
    );
    socket.on('scanners.watch', (_payload, ack) =>
      handle(ack, d.log, async () => {
        await socket.join(DEVICES_ROOM);
        return d.scanners.list();
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
