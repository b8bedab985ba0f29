import type { IncomingMessage } from 'node:http';

export { sendJson } from '../nhsa/http.js';

/** 10 000 rows of a few hundred characters each, with room to spare. */
export const MAX_BODY_BYTES = 32 << 20;

/** The body as text, or null when it is too large or not UTF-8. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size > limit) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    return null;
  }
}
