import type { ScanEventRow, StationRow } from '../db/types.js';
import type { ScanEffectView } from './contract/dock.js';
import type { DecodedFields, Localized, ScannerStatusView, ScanView, StationView } from './contract/views.js';
import type { SupervisedStatus } from '../drivers/supervisor.js';

/** Row → wire shape mappers, in one place so HTTP and socket answers never differ. */

export const toStationView = (s: StationRow): StationView => ({ id: s.id, name: s.name, kind: s.kind, createdAt: s.createdAt });

export function toScanView(r: ScanEventRow): ScanView {
  const detail = r.detail ?? {};
  return {
    id: r.id,
    stationId: r.stationId,
    deviceId: r.deviceId,
    source: r.source,
    receivedAt: r.receivedAt,
    recordedAt: r.recordedAt,
    text: r.text,
    rawHex: Buffer.from(r.raw).toString('hex'),
    aim: r.aim,
    decision: r.decision,
    reasonCode: r.reasonCode,
    reason: (detail.reason as Localized | undefined) ?? null,
    code: r.code,
    fields: (detail.fields as DecodedFields | undefined) ?? null,
    duplicateOf: (detail.duplicateOf as number | undefined) ?? null,
    undone: r.undone,
    operatorId: r.operatorId,
    unitId: r.unitId,
    effect: (detail.effect as ScanEffectView | undefined) ?? null,
  };
}

export const toScannerStatusView = (s: SupervisedStatus): ScannerStatusView => ({ ...s });
