import { z } from 'zod';
import { STATION_KINDS } from './views.js';

/** Request schemas of the HTTP API, validated at the edge. Responses are the views in views.ts. */

export const createStationBody = z.object({
  name: z.string().trim().min(1).max(100),
  kind: z.enum(STATION_KINDS as [string, ...string[]]).default('receiving'),
});
export type CreateStationBody = z.infer<typeof createStationBody>;

export const suffixName = z.enum(['CR', 'LF', 'CRLF', 'TAB', 'none']);

export const bindScannerBody = z
  .object({
    transport: z.enum(['serial', 'hid-pos', 'hid-keyboard', 'virtual']),
    /** Serial device or pty path, or hidraw path. Required for serial. */
    path: z.string().trim().min(1).max(500).optional(),
    /** From GET /api/devices; derived from the path when omitted. */
    deviceId: z.string().trim().min(1).max(300).optional(),
    stationId: z.number().int().positive(),
    label: z.string().trim().max(100).optional(),
    options: z
      .object({
        baudRate: z.number().int().min(300).max(4_000_000).optional(),
        suffix: suffixName.optional(),
        interByteTimeoutMs: z.number().int().min(5).max(2000).optional(),
        /** Error beep at the scanner on rejected/duplicate scans (Honeywell host command). */
        feedback: z.enum(['none', 'honeywell']).optional(),
        /** Virtual scanner: lines it scans, one every intervalMs. */
        script: z.array(z.string().max(4096)).max(10_000).optional(),
        intervalMs: z.number().int().min(10).max(600_000).optional(),
      })
      .strict()
      .default({}),
  })
  .strict()
  .refine((b) => b.transport === 'virtual' || b.path !== undefined || b.deviceId !== undefined, {
    message: 'path or deviceId is required',
    path: ['path'],
  });
export type BindScannerBody = z.infer<typeof bindScannerBody>;

export const postScanBody = z
  .object({
    /** The scan as text (ASCII 29 allowed). */
    raw: z.string().max(65_536).optional(),
    /** The scan as bytes, base64 (replaying captured scanner output). */
    rawBase64: z.string().max(90_000).optional(),
    source: z.enum(['wedge', 'manual', 'http']).default('http'),
  })
  .strict()
  .refine((b) => (b.raw === undefined) !== (b.rawBase64 === undefined), { message: 'give exactly one of raw, rawBase64' });
export type PostScanBody = z.infer<typeof postScanBody>;

export const scansQuery = z.object({
  stationId: z.coerce.number().int().positive().optional(),
  decision: z.enum(['accepted', 'duplicate', 'rejected']).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type ScansQuery = z.infer<typeof scansQuery>;

export const idParam = z.coerce.number().int().positive();

export const undoScanBody = z.object({ reason: z.string().trim().min(1).max(200) }).strict();
export type UndoScanBody = z.infer<typeof undoScanBody>;
