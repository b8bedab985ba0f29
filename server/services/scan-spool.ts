import fs from 'node:fs';
import path from 'node:path';
import type { IncomingScan } from './scan.service.js';

/**
 * Last line of defence for "nothing a worker scans may ever be lost": when the database refuses a
 * scan (disk full, corruption, locked too long), the raw scan is appended to a plain NDJSON file
 * in the data directory. Support can replay it with `npm run replay -- --spool`.
 */
export class ScanSpool {
  readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'spool', 'unsaved-scans.ndjson');
  }

  keep(scan: IncomingScan, error: string): void {
    const line = JSON.stringify({
      stationId: scan.stationId,
      deviceId: scan.deviceId,
      source: scan.source,
      receivedAt: scan.receivedAt,
      rawBase64: Buffer.from(scan.bytes).toString('base64'),
      aim: scan.aim ?? null,
      error,
    });
    try {
      fs.mkdirSync(path.dirname(this.file), { recursive: true });
      fs.appendFileSync(this.file, line + '\n');
    } catch {
      // If even the spool cannot be written, the dock still got the rejection and rescans.
    }
  }

}
