import { io, type Socket } from 'socket.io-client';
import type { Ack } from '../../server/contract/errors.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contract/events.js';
import type { ReconciliationView, StationContextView } from '../../server/contract/dock.js';
import type { ScannerStatusView, ScanView, StationSnapshot } from '../../server/contract/views.js';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A socket.io client in a station's room that records every fact it receives. */
export interface StationClient {
  socket: ClientSocket;
  snapshot: StationSnapshot;
  recorded: ScanView[];
  rejected: ScanView[];
  statuses: ScannerStatusView[];
  /** Dock stations: every `station.context` and `document.progress` pushed to the room. */
  contexts: StationContextView[];
  progress: ReconciliationView[];
  waitFor<T>(pick: () => T | undefined, timeoutMs?: number): Promise<T>;
  close(): void;
}

/** A session cookie for the handshake: the socket is authenticated like HTTP. */
export async function joinStation(url: string, stationId: number, cookie: string): Promise<StationClient> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], forceNew: true, extraHeaders: { cookie } });
  const recorded: ScanView[] = [];
  const rejected: ScanView[] = [];
  const statuses: ScannerStatusView[] = [];
  socket.on('scan.recorded', (s) => recorded.push(s));
  socket.on('scan.rejected', (s) => rejected.push(s));
  socket.on('scanner.status', (s) => statuses.push(s));
  const contexts: StationContextView[] = [];
  const progress: ReconciliationView[] = [];
  socket.on('station.context', (c) => contexts.push(c));
  socket.on('document.progress', (p) => progress.push(p));
  const ack = await new Promise<Ack<StationSnapshot>>((resolve) => socket.emit('station.join', { stationId }, resolve));
  if (!ack.ok) throw new Error(`station.join failed: ${ack.error.code}`);
  return {
    socket,
    snapshot: ack.data,
    recorded,
    rejected,
    statuses,
    contexts,
    progress,
    waitFor: (pick, timeoutMs = 5000) => waitFor(pick, timeoutMs),
    close: () => socket.close(),
  };
}

export async function waitFor<T>(pick: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await pick();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
