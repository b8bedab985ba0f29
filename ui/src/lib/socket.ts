import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../server/contract/events.js';
import type { Ack } from '../../../server/contract/errors.js';
import { ApiError, errorText } from './api.js';
import { t } from '../i18n/index.svelte.js';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** One socket for the whole page, same origin, default path (the server and the vite proxy agree). */
export const socket: AppSocket = io({
  // Keep trying for as long as the screen is open: a dock PC outlives server restarts.
  reconnectionDelayMax: 3000,
});

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
