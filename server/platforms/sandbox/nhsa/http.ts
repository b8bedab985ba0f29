import type { IncomingMessage } from 'node:http';
import { readBody as readLimited } from '../common/http.js';

export { sendJson } from '../common/http.js';

/** Far above the guide's 1024-character param; anything larger is not a client talking to us. */
export const MAX_BODY_BYTES = 1 << 20;

export const readBody = (req: IncomingMessage): Promise<string | null> => readLimited(req, MAX_BODY_BYTES);
