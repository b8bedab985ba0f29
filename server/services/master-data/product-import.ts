import type { ProductField, ProductFields } from '../../../db/repositories/products.repository.js';
import { createProductBody, updateProductBody, IDENTIFIER_FIELDS, PRODUCT_FLAGS, type IdentifierField, type ImportRowError } from '../../contract/master-data.js';
import { parseFlag } from './cells.js';
import { PRODUCT_COLUMNS } from './columns.js';
import { applyIdentifiers, findIdentifierConflicts } from './identifiers.js';
import { duplicateReason, rowError, rowErrors, rowInput, withoutFailed, type ImportSpec, type Prepared } from './import-spec.js';
import { checkProduct, identifierKind, PRODUCT_DEFAULTS, type ProductDraft } from './product-rules.js';
import { zodProblems, type Problem } from './problems.js';
import type { MasterDataRepos } from './repos.js';

const FLAGS = new Set<string>(PRODUCT_FLAGS);
const IDENTIFIERS = new Set<string>(IDENTIFIER_FIELDS);

/** Products upsert on 商品编号; an empty GTIN/prefix cell leaves that level's mapping as it is. */
export function productImport(repos: MasterDataRepos): ImportSpec<ProductDraft> {
  return {
    kind: 'products',
    columns: PRODUCT_COLUMNS,

    prepare(rows, map) {
      const items: Array<Prepared<ProductDraft>> = [];
      const errors: ImportRowError[] = [];
      const codes = new Map<string, number>();
      const identifiers = new Map<string, number>();
      for (const row of rows) {
        const input: Record<string, unknown> = {};
        const problems: Problem[] = [];
        for (const [field, text] of rowInput(row, map)) {
          if (FLAGS.has(field)) {
            const flag = parseFlag(text);
            if (typeof flag === 'boolean') input[field] = flag;
            else problems.push({ field, value: text, code: 'VALIDATION_FAILED', reason: flag.reason });
          } else if (!IDENTIFIERS.has(field) || text !== '') input[field] = text;
        }
        const parsed = createProductBody.safeParse(input);
        let draft: ProductDraft | undefined;
        if (!parsed.success) {
          problems.push(...zodProblems(parsed.error.issues, input));
          const rest = updateProductBody.safeParse(withoutFailed(input, parsed.error.issues));
          if (rest.success) problems.push(...checkProduct(rest.data).problems);
        } else {
          const checked = checkProduct(parsed.data);
          problems.push(...checked.problems);
          draft = checked.draft;
        }
        if (draft && !problems.length) {
          const code = draft.fields.code!;
          const first = codes.get(code);
          if (first !== undefined) problems.push({ field: 'code', value: code, code: 'PRODUCT_CODE_TAKEN', reason: duplicateReason(first, { zh: '商品编号', en: 'product number' }) });
          else codes.set(code, row.record);
          for (const [f, v] of Object.entries(draft.identifiers)) {
            if (!v) continue;
            const key = `${identifierKind(f as IdentifierField)}:${v}`;
            const seen = identifiers.get(key);
            if (seen !== undefined) problems.push({ field: f, value: v, code: 'PRODUCT_IDENTIFIER_TAKEN', reason: duplicateReason(seen, { zh: '商品码或追溯码前缀', en: 'commodity code or prefix' }) });
            else identifiers.set(key, row.record);
          }
        }
        if (problems.length) errors.push(...rowErrors(row.record, map, problems));
        else items.push({ record: row.record, value: draft! });
      }
      return { items, errors };
    },

    async conflicts(trx, items, map) {
      const claims = items.map((i) => ({ owner: { code: i.value.fields.code! }, identifiers: i.value.identifiers }));
      const found = await findIdentifierConflicts(trx, repos.identifiers, claims);
      return found.map((c) => rowError(items[c.claim]!.record, map, c));
    },

    async write(trx, items, ctx) {
      const columns = [...ctx.present].filter((f): f is ProductField => f in PRODUCT_DEFAULTS || f === 'name');
      if (columns.includes('nhsaCode')) columns.push('nhsaKind');
      const rows = items.map((i) => ({ ...PRODUCT_DEFAULTS, ...i.value.fields }) as ProductFields);
      const ids = await repos.products.upsertMany(trx, rows, columns, ctx.now);
      const claims = items.map((i) => ({ productId: ids.get(i.value.fields.code!)!, identifiers: i.value.identifiers }));
      await applyIdentifiers(trx, repos.identifiers, claims, ctx.operatorId, ctx.now, { source: 'import' });
    },
  };
}
