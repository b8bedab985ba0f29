import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../server/contract/events.js';
import type { Ack } from '../../../server/contract/errors.js';
import { ApiError, errorText } from './api.js';
import { t } from '../i18n/index.svelte.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * One socket for the whole page, same origin, default path (the server and the vite proxy agree).
 * Not connected until the session store knows someone is logged in: the handshake carries the
 * HttpOnly session cookie, and a handshake without one is refused.
 */
export const socket: AppSocket = io({
  // Keep trying for as long as the screen is open: a dock PC outlives server restarts.
  reconnectionDelayMax: 3000,
  autoConnect: false,
});

/** Drops the connection and opens a new one, so the handshake carries the current cookie and unit. */
export function reconnectSocket(): void {
  // A socket that never connected has nothing to drop (and "connection lost" would be a lie).
  if (socket.connected || socket.active) socket.disconnect();
  socket.connect();
}

/** After logout: nothing to connect as until the next login. */
export function disconnectSocket(): void {
  socket.disconnect();
}

/** The server refuses a handshake without a valid session with one of these as the error message. */
export function isSocketAuthError(err: Error & { data?: unknown }): boolean {
  const data = err.data as { code?: unknown } | undefined;
  const code = typeof data?.code === 'string' ? data.code : err.message;
  return code === 'AUTH_REQUIRED' || code === 'SESSION_INVALID';
}

const ACK_TIMEOUT_MS = 5000;

type AckCommand = {
  [K in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[K]>[1] extends (r: Ack<infer _T>) => void ? K : never;
}[keyof ClientToServerEvents];

type AckData<K extends AckCommand> = Parameters<ClientToServerEvents[K]>[1] extends (r: Ack<infer T>) => void ? T : never;

/**
 * Sends a command and resolves with its data, or throws ApiError with the server's code (or
 * `TIMEOUT` when no ack arrived — the command may or may not have been applied).
 */
export async function command<K extends AckCommand>(
  name: K,
  payload: Parameters<ClientToServerEvents[K]>[0],
): Promise<AckData<K>> {
  let reply: Ack<AckData<K>>;
  try {
    // The generic event map cannot be narrowed through K here; the signature above keeps callers typed.
    const timed = socket.timeout(ACK_TIMEOUT_MS);
    const emit = timed.emitWithAck as unknown as (ev: K, p: unknown) => Promise<Ack<AckData<K>>>;
    reply = await emit.call(timed, name, payload);
  } catch {
    throw new ApiError(0, 'TIMEOUT', t('error.timeout'));
  }
  if (reply.ok) return reply.data;
  throw new ApiError(0, reply.error.code, errorText(reply.error), reply.error);
}
