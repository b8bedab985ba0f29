import type { IncomingMessage } from 'node:http';
import { readBody as readLimited } from '../common/http.js';

export { sendJson } from '../common/http.js';

/** 10 000 rows of a few hundred characters each, with room to spare. */
export const MAX_BODY_BYTES = 32 << 20;

export const readBody = (req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> => readLimited(req, limit);
