import type { EventEmitter } from 'node:events';

export type TransportKind = 'serial' | 'hid-pos' | 'hid-keyboard' | 'virtual';

/** One framed scan as it left the scanner. `bytes` are kept verbatim for the journal. */
export interface RawScan {
  deviceId: string;
  bytes: Uint8Array;
  /** Bytes decoded as UTF-8 (U+FFFD where invalid); the suffix is already removed. */
  text: string;
  /** False when the bytes are not valid UTF-8 (wrong baud rate, line noise). */
  validUtf8: boolean;
  /** AIM symbology identifier (`]d2`, `]C1`, …) when the transport reports it separately. */
  aim?: string;
  /** Vendor code id (Honeywell HID POS). */
  codeId?: string;
  /** Why the frame ended: the suffix, the inter-byte timeout, or the 4 KiB length limit. */
  terminatedBy?: 'suffix' | 'timeout' | 'overflow';
  receivedAt: number;
}

export type ScannerState = 'connecting' | 'online' | 'offline';

export interface ScannerStatusEvent {
  deviceId: string;
  state: ScannerState;
  reason?: string;
}

export interface DriverEvents {
  scan: [RawScan];
  status: [ScannerStatusEvent];
  /** The device went away by itself (unplugged, pty closed) — not because we closed it. */
  disconnected: [{ deviceId: string; reason: string }];
  /** A recoverable error that does not end the connection (garbled report, overflow). */
  warning: [{ deviceId: string; message: string }];
}

/**
 * One contract for every transport (zigbee-herdsman style): open, emit, close. Reconnection policy
 * lives in the supervisor, so a driver only has to report the truth about its own connection.
 */
export interface ScannerDriver extends EventEmitter<DriverEvents> {
  readonly deviceId: string;
  readonly transport: TransportKind;
  /** Rejects with a readable reason when the device cannot be opened (missing, busy, permission). */
  open(): Promise<void>;
  /** Closes on our initiative; must not emit `disconnected`. Idempotent. */
  close(): Promise<void>;
  readonly isOpen: boolean;
  /** Error beep at the scanner (see feedback.ts); a no-op for transports without a way back. */
  signalError?(): Promise<void>;
}

/** Frames longer than this without a suffix are cut and reported (a flooding or misconfigured scanner). */
export const MAX_FRAME_BYTES = 4096;
