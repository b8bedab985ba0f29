import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LocalizedAppError } from '../localized-error.js';

export const tooLarge = (maxBytes: number) =>
  new LocalizedAppError('IMPORT_TOO_LARGE', 413, {
    'zh-CN': `导入文件过大：最大 ${Math.round(maxBytes / 1048576)} MB，请拆分后分批导入`,
    en: `The import file is too large: at most ${Math.round(maxBytes / 1048576)} MB — split it and import the parts`,
  });

/**
 * Streams an upload to a temporary file, counting bytes. Past the limit the rest is read and
 * dropped rather than the socket torn down, so the client still gets its 413 — up to a hard stop
 * at four times the limit, where the connection is cut.
 */
export async function receiveToFile(src: Readable, dir: string, maxBytes: number): Promise<string> {
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, `${crypto.randomUUID()}.upload`);
  let bytes = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes * 4) return done(tooLarge(maxBytes));
      done(null, bytes > maxBytes ? undefined : chunk);
    },
  });
  try {
    await pipeline(src, limit, fs.createWriteStream(file, { flags: 'wx' }));
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    return file;
  } catch (err) {
    await fs.promises.rm(file, { force: true });
    throw err;
  }
}
