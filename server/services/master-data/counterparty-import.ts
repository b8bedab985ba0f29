import type { CounterpartyField, CounterpartyFields } from '../../../db/repositories/counterparties.repository.js';
import { createCounterpartyBody, updateCounterpartyBody, type ImportRowError } from '../../contract/master-data.js';
import { counterpartyType, parsePlatformIds } from './cells.js';
import { COUNTERPARTY_COLUMNS } from './columns.js';
import { checkCounterparty } from './counterparty-rules.js';
import { duplicateReason, rowErrors, rowInput, withoutFailed, type ImportSpec, type Prepared } from './import-spec.js';
import { zodProblems, type Problem } from './problems.js';
import type { MasterDataRepos } from './repos.js';

const FIELDS: readonly CounterpartyField[] = ['name', 'uscc', 'type', 'address', 'licenceNo', 'platformIds'];

/** Counterparties of the importing unit, upserted on the USCC. */
export function counterpartyImport(repos: MasterDataRepos): ImportSpec<CounterpartyFields> {
  return {
    kind: 'counterparties',
    columns: COUNTERPARTY_COLUMNS,

    prepare(rows, map) {
      const items: Array<Prepared<CounterpartyFields>> = [];
      const errors: ImportRowError[] = [];
      const usccs = new Map<string, number>();
      for (const row of rows) {
        const input: Record<string, unknown> = {};
        const problems: Problem[] = [];
        for (const [field, text] of rowInput(row, map)) {
          if (field === 'type') input.type = counterpartyType(text);
          else if (field === 'platformIds') {
            const ids = parsePlatformIds(text);
            if (ids.ok) input.platformIds = ids.ids;
            else problems.push({ field, value: text, code: 'VALIDATION_FAILED', reason: ids.reason });
          } else input[field] = text;
        }
        const parsed = createCounterpartyBody.safeParse(input);
        let fields: Partial<CounterpartyFields> = {};
        if (!parsed.success) {
          problems.push(...zodProblems(parsed.error.issues, input));
          const rest = updateCounterpartyBody.safeParse(withoutFailed(input, parsed.error.issues));
          if (rest.success) problems.push(...checkCounterparty(rest.data).problems);
        } else {
          const checked = checkCounterparty(parsed.data);
          problems.push(...checked.problems);
          fields = checked.fields;
        }
        if (!problems.length) {
          const first = usccs.get(fields.uscc!);
          if (first !== undefined) problems.push({ field: 'uscc', value: fields.uscc!, code: 'COUNTERPARTY_USCC_TAKEN', reason: duplicateReason(first, { zh: '统一社会信用代码', en: 'credit code' }) });
          else usccs.set(fields.uscc!, row.record);
        }
        if (problems.length) errors.push(...rowErrors(row.record, map, problems));
        else items.push({ record: row.record, value: { address: null, licenceNo: null, platformIds: {}, ...(fields as Pick<CounterpartyFields, 'name' | 'uscc' | 'type'>) } });
      }
      return { items, errors };
    },

    // Upserting on (unit, USCC) leaves nothing in the database for a row to collide with.
    conflicts: async () => [],

    async write(trx, items, ctx) {
      const columns = FIELDS.filter((f) => ctx.present.has(f));
      await repos.counterparties.upsertMany(trx, ctx.unitId, items.map((i) => i.value), columns, ctx.now);
    },
  };
}
