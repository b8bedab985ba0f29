import type { Knex } from 'knex';
import type { DocumentRow } from '../../../db/repositories/documents.repository.js';

export interface CirculationInput {
  document: DocumentRow;
  unit: { name: string; uscc: string };
  movementId: number;
  at: number;
  codeCount: number;
}

/**
 * The circulation record of the NHSA operator guide's FAQ (问题 3), from the distributor's seat:
 * inbound — circulation unit and time are ours on arrival, the shipper is the upstream maker or
 * wholesaler, the receiver is us; outbound — circulation unit and shipper are us, the receiver is
 * the downstream customer. Statuses are stable codes (shipped / received / pending); the upload
 * profile maps them to the platform's values.
 */
export async function writeCirculationRecord(trx: Knex.Transaction, c: CirculationInput): Promise<void> {
  const d = c.document;
  const counterparty = { name: d.counterpartyName, uscc: d.counterpartyUscc };
  const inbound = d.direction === 'in';
  const shipper = inbound ? counterparty : c.unit;
  const receiver = inbound ? c.unit : counterparty;
  await trx('circulation_records').insert({
    document_id: d.id,
    movement_id: c.movementId,
    unit_id: d.unitId,
    direction: d.direction,
    circulation_unit_name: c.unit.name,
    circulation_unit_uscc: c.unit.uscc,
    circulation_time: c.at,
    shipper_name: shipper.name,
    shipper_uscc: shipper.uscc,
    // Inbound: the upstream's shipping time is not known at our dock; the document's creation (the
    // delivery's arrival being registered) is the closest fact we hold.
    ship_time: inbound ? d.createdAt : c.at,
    ship_status: 'shipped',
    receiver_name: receiver.name,
    receiver_uscc: receiver.uscc,
    receive_time: inbound ? c.at : null,
    receive_status: inbound ? 'received' : 'pending',
    code_count: c.codeCount,
    created_at: c.at,
  });
}
