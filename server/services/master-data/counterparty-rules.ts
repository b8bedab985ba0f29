import type { z } from 'zod';
import type { CounterpartyFields } from '../../../db/repositories/counterparties.repository.js';
import type { updateCounterpartyBody } from '../../contract/master-data.js';
import { reasonMessage, validateUscc } from '../../domain/codes/index.js';
import type { Problem } from './problems.js';

export type CounterpartyInput = z.output<typeof updateCounterpartyBody>;

/** Domain checks shared by the HTTP API and the importer; only the named fields come back. */
export function checkCounterparty(input: CounterpartyInput): { fields: Partial<CounterpartyFields>; problems: Problem[] } {
  const fields: Partial<CounterpartyFields> = {};
  const problems: Problem[] = [];
  if (input.name !== undefined) fields.name = input.name;
  if (input.type !== undefined) fields.type = input.type;
  if (input.address !== undefined) fields.address = input.address;
  if (input.licenceNo !== undefined) fields.licenceNo = input.licenceNo;
  if (input.platformIds !== undefined) fields.platformIds = input.platformIds;
  if (input.uscc !== undefined) {
    const r = validateUscc(input.uscc);
    if (r.valid) fields.uscc = r.normalized;
    else {
      const code = (r.reason ?? 'uscc_check_char') as 'uscc_wrong_length' | 'uscc_bad_character' | 'uscc_check_char' | 'uscc_org_code_check';
      problems.push({ field: 'uscc', value: input.uscc, code: 'USCC_INVALID', reason: reasonMessage(code) });
    }
  }
  return { fields, problems };
}
