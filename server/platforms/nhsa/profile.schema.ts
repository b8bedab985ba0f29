import { z } from 'zod';

/**
 * The NHSA interface profile (DOMAIN.md §6, DESIGN.md §4). The guide publishes the envelope and
 * the signature but not the paths, parameter names, batch limits or answers of each operation, so
 * everything that may differ in the official specification is data here, validated once on load.
 */

/** Facts our records carry, under stable names; the profile says what the platform calls them. */
export const CANONICAL_FIELDS = [
  // the code
  'traceCode', 'parentCode', 'packLevel', 'batch', 'madeDate', 'expiry',
  // the product (three-code mapping)
  'productCode', 'nhsaCode', 'commodityCode', 'productName', 'genericName', 'spec', 'packageSpec', 'dosageForm', 'approvalNo', 'manufacturer', 'ratio',
  // the movement, from the FAQ's seat (inbound: the shipper is upstream and we receive)
  'direction', 'documentNumber', 'documentType', 'circulationUnitName', 'circulationUnitUscc', 'circulationTime',
  'shipperName', 'shipperUscc', 'shipTime', 'shipStatus', 'receiverName', 'receiverUscc', 'receiveTime', 'receiveStatus',
] as const;
export type CanonicalField = (typeof CANONICAL_FIELDS)[number];
export type CanonicalRecord = Partial<Record<CanonicalField, string | number | null>>;

export const UPLOAD_OPERATIONS = ['drugDomestic', 'drugImported', 'consumable', 'traceCode', 'shipping', 'receiving', 'distribution', 'circulation'] as const;
export type UploadOperation = (typeof UPLOAD_OPERATIONS)[number];
export const QUERY_OPERATIONS = ['queryByCode', 'queryByBatch', 'queryByDate'] as const;
export type QueryOperation = (typeof QUERY_OPERATIONS)[number];
export const PRODUCT_KINDS = ['drug-domestic', 'drug-imported', 'consumable'] as const;
export type ProductKind = (typeof PRODUCT_KINDS)[number];
export const UNIT_TYPES = ['manufacturer', 'distributor', 'retail', 'hospital'] as const;
export const TRIGGERS = ['inbound', 'outbound', 'product', 'hierarchy'] as const;
export type Trigger = (typeof TRIGGERS)[number];

const text = z.object({ 'zh-CN': z.string().min(1), en: z.string().min(1) });
/** A dotted path into a JSON answer (`data.fail_list`). */
const jsonPath = z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, 'a dotted path such as data.fail_list');
const platformName = z.string().regex(/^[A-Za-z_][\w]{0,63}$/, 'a JSON field name');

const field = z.object({
  name: platformName,
  source: z.enum(CANONICAL_FIELDS),
  required: z.boolean().default(false),
  maxLength: z.number().int().positive().optional(),
  /** datetime = `yyyy-MM-dd HH:mm:ss` and date = `yyyy-MM-dd`, both China time (UTC+8, no DST). */
  format: z.enum(['string', 'int', 'datetime', 'date', 'seconds', 'millis']).default('string'),
  /** Our stable values (in/out, shipped/received/pending) → the platform's. */
  values: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type ProfileField = z.infer<typeof field>;

const uploadOperation = z.object({
  title: text,
  path: z.string().regex(/^\/\S*$/, 'a path starting with /'),
  /** The param holds the header fields (shared by the whole call) and this list of items. */
  listField: platformName,
  maxRecords: z.number().int().min(1).max(100_000),
  header: z.array(field).default([]),
  item: z.array(field).min(1),
  /** Which record an answer's per-record failure or a query row speaks of. */
  recordKey: z.enum(CANONICAL_FIELDS),
  /** Fields whose values identify an accepted record in query answers (after mapping). */
  match: z.array(z.enum(CANONICAL_FIELDS)).min(1),
  /** The value of `query.typeField` in query rows that came from this operation. */
  queryType: z.string().min(1),
  /** Product kinds this operation applies to; absent = every kind. */
  appliesTo: z.array(z.enum(PRODUCT_KINDS)).optional(),
});
export type UploadOperationProfile = z.infer<typeof uploadOperation>;

const queryOperation = z.object({
  title: text,
  path: z.string().regex(/^\/\S*$/, 'a path starting with /'),
  /** Our parameter (code, batch, date, page, pageSize) → the platform's name. */
  params: z.object({ code: platformName.optional(), batch: platformName.optional(), date: platformName.optional(), page: platformName.optional(), pageSize: platformName.optional() }),
  pageSize: z.number().int().min(1).max(100_000).default(1000),
});
export type QueryOperationProfile = z.infer<typeof queryOperation>;

const role = z.object(Object.fromEntries(TRIGGERS.map((t) => [t, z.array(z.enum(UPLOAD_OPERATIONS)).default([])])) as Record<Trigger, z.ZodDefault<z.ZodArray<z.ZodEnum<{ [K in UploadOperation]: K }>>>>);

export const nhsaProfileSchema = z
  .object({
    profileVersion: z.string().min(1),
    description: z.string().optional(),
    envelope: z.object({
      /** `string`: param travels as a JSON string; `object`: as raw JSON text (signed as sent). */
      paramEncoding: z.enum(['string', 'object']).default('string'),
      timestampUnit: z.enum(['seconds', 'milliseconds']).default('seconds'),
      /** The guide's 接口输入报文 table: ak 50, timestamp 30, sign 100, param 1024. */
      maxLength: z.object({ ak: z.number().int().positive(), timestamp: z.number().int().positive(), sign: z.number().int().positive(), param: z.number().int().positive() }),
    }),
    response: z.object({
      code: jsonPath,
      successCodes: z.array(z.union([z.string(), z.number()])).min(1),
      message: jsonPath,
      serverTime: jsonPath.optional(),
      failures: z.object({ list: jsonPath, message: platformName }),
      /** Codes that mean "your clock is off": resynchronise from serverTime and send again. */
      clockCodes: z.array(z.union([z.string(), z.number()])).default([]),
    }),
    query: z.object({ list: jsonPath, total: jsonPath.optional(), typeField: platformName }),
    operations: z.object({
      ...(Object.fromEntries(UPLOAD_OPERATIONS.map((o) => [o, uploadOperation])) as Record<UploadOperation, typeof uploadOperation>),
      ...(Object.fromEntries(QUERY_OPERATIONS.map((o) => [o, queryOperation])) as Record<QueryOperation, typeof queryOperation>),
    }),
    /** Which operations each unit type runs on each trigger (the guide's FAQ 1–3). */
    roles: z.object(Object.fromEntries(UNIT_TYPES.map((u) => [u, role])) as Record<(typeof UNIT_TYPES)[number], typeof role>),
    /** Seconds of difference to the platform's clock worth a warning. */
    clockSkewWarnSeconds: z.number().int().positive().default(60),
  })
  .superRefine((p, ctx) => {
    for (const op of UPLOAD_OPERATIONS) {
      const o = p.operations[op];
      const all = [...o.header, ...o.item];
      const sources = new Set(all.map((f) => f.source));
      if (!o.item.some((f) => f.source === o.recordKey)) ctx.addIssue({ code: 'custom', path: ['operations', op, 'recordKey'], message: `recordKey ${o.recordKey} must be one of the item fields` });
      for (const m of o.match) if (!sources.has(m)) ctx.addIssue({ code: 'custom', path: ['operations', op, 'match'], message: `match field ${m} is not sent by this operation` });
      const names = all.map((f) => f.name);
      const dup = names.find((n, i) => names.indexOf(n) !== i);
      if (dup) ctx.addIssue({ code: 'custom', path: ['operations', op], message: `field name ${dup} is used twice` });
      if (o.header.some((f) => f.name === o.listField)) ctx.addIssue({ code: 'custom', path: ['operations', op, 'listField'], message: 'listField clashes with a header field' });
    }
    const paths = Object.entries(p.operations).map(([k, o]) => [k, o.path] as const);
    for (const [k, path] of paths) if (paths.find(([k2, p2]) => p2 === path && k2 !== k && k2 < k)) ctx.addIssue({ code: 'custom', path: ['operations', k, 'path'], message: `path ${path} is used by another operation` });
    for (const op of UPLOAD_OPERATIONS) {
      const names = [...p.operations[op].header, ...p.operations[op].item].map((f) => f.name);
      if (names.includes(p.query.typeField)) ctx.addIssue({ code: 'custom', path: ['query', 'typeField'], message: `clashes with a field of ${op}` });
    }
    if (!p.operations.queryByCode.params.code) ctx.addIssue({ code: 'custom', path: ['operations', 'queryByCode', 'params', 'code'], message: 'required' });
    if (!p.operations.queryByBatch.params.batch) ctx.addIssue({ code: 'custom', path: ['operations', 'queryByBatch', 'params', 'batch'], message: 'required' });
    if (!p.operations.queryByDate.params.date) ctx.addIssue({ code: 'custom', path: ['operations', 'queryByDate', 'params', 'date'], message: 'required' });
  });

export type NhsaProfile = z.infer<typeof nhsaProfileSchema>;
