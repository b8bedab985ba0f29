import { z } from 'zod';
import type { Localized } from './views.js';

/**
 * Wire shapes of units (单位), operators (经办人), grants, sessions and the audit log (issue 4).
 * The UI imports the types; the server validates request bodies with the schemas.
 */

/** Businesses granted per operator and unit, after the NHSA portal's 经办人授权 page. */
export const BUSINESSES = ['receiving', 'dispatch', 'aggregation', 'retail', 'upload', 'query', 'masterdata', 'admin'] as const;
export type Business = (typeof BUSINESSES)[number];

export const BUSINESS_LABELS: Record<Business, Localized> = {
  receiving: { 'zh-CN': '收货入库', en: 'receiving' },
  dispatch: { 'zh-CN': '发货出库', en: 'dispatch' },
  aggregation: { 'zh-CN': '包装关联', en: 'aggregation' },
  retail: { 'zh-CN': '零售销售', en: 'retail sale' },
  upload: { 'zh-CN': '平台上传', en: 'platform upload' },
  query: { 'zh-CN': '查询导出', en: 'query and export' },
  masterdata: { 'zh-CN': '基础数据', en: 'master data' },
  admin: { 'zh-CN': '单位管理', en: 'unit administration' },
};

export const UNIT_TYPES = ['manufacturer', 'distributor', 'retail', 'hospital'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** Secrets are write-only: a view only says whether one is stored. */
export type SecretState = 'set' | 'not set';

export const UNIT_CREDENTIALS = ['nhsaAk', 'nhsaSk', 'gansuLoginId', 'gansuPassword', 'gansuPublicKey', 'gansuAppKey'] as const;
export type UnitCredential = (typeof UNIT_CREDENTIALS)[number];

export interface UnitView {
  id: number;
  name: string;
  uscc: string;
  type: UnitType;
  address: string | null;
  disabled: boolean;
  credentials: Record<UnitCredential, SecretState>;
  createdAt: number;
  updatedAt: number;
}

export interface OperatorUnitView {
  unitId: number;
  businesses: Business[];
}

export interface OperatorView {
  id: number;
  username: string;
  displayName: string;
  /** Masked (`138****5678`); the clear value needs the unmask right and a logged reason. */
  phone: string | null;
  /** Masked (`620102********123X`). */
  idNumber: string | null;
  isAdmin: boolean;
  disabled: boolean;
  mustChangePassword: boolean;
  lockedUntil: number | null;
  badge: SecretState;
  pin: SecretState;
  units: OperatorUnitView[];
  createdAt: number;
}

export interface SessionView {
  operator: { id: number; username: string; displayName: string; isAdmin: boolean };
  unit: { id: number; name: string; uscc: string } | null;
  /** Businesses granted in the chosen unit. */
  businesses: Business[];
  /** Bound units the operator may choose from. */
  units: Array<{ id: number; name: string; uscc: string }>;
  mustChangePassword: boolean;
  expiresAt: number;
}

export interface LoginResult {
  /** Goes into an HttpOnly cookie; never shown or logged. */
  token: string;
  session: SessionView;
}

export interface GrantView {
  operatorId: number;
  unitId: number;
  business: Business;
  grantedAt: number;
  grantedBy: number | null;
}

export interface AuditEntryView {
  seq: number;
  at: number;
  actor: string;
  action: string;
  unitId: number | null;
  detail: Record<string, unknown>;
  hash: string;
}

export interface AuditVerifyView {
  ok: boolean;
  count: number;
  /** The first broken link, if any. */
  broken?: { seq: number; reason: string; detail: string };
  /** False when the head seal could not be checked (no key available). */
  headChecked: boolean;
}

// ---- request schemas -------------------------------------------------------------------------

const CONTROL = /\p{Cc}/u;
/** Free text: trimmed, bounded, no control characters. HTML/SQL characters are stored inertly. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL.test(s), 'must not contain control characters');

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._@-]{2,31}$/, 'user name: 3–32 letters, digits, . _ @ -');

/** Upper bound only: the policy (server/security/password-policy.ts) explains what is missing. */
const passwordField = z.string().min(1).max(128);

export const loginBody = z.object({ username: usernameSchema, password: passwordField }).strict();
export type LoginBody = z.input<typeof loginBody>;

export const changePasswordBody = z.object({ currentPassword: passwordField, newPassword: passwordField }).strict();
export type ChangePasswordBody = z.input<typeof changePasswordBody>;

export const chooseUnitBody = z.object({ unitId: z.number().int().positive() }).strict();
export type ChooseUnitBody = z.input<typeof chooseUnitBody>;

const secret = z.string().min(1).max(4096).nullable().optional();
/** Absent = unchanged, null = cleared, string = replaced. */
export const unitCredentialsBody = z
  .object({ nhsaAk: secret, nhsaSk: secret, gansuLoginId: secret, gansuPassword: secret, gansuPublicKey: secret, gansuAppKey: secret })
  .strict();
export type UnitCredentialsBody = z.input<typeof unitCredentialsBody>;

export const createUnitBody = z
  .object({
    name: text(200),
    uscc: z.string().trim().min(1).max(40),
    type: z.enum(UNIT_TYPES),
    address: text(300).nullable().optional(),
    credentials: unitCredentialsBody.optional(),
  })
  .strict();
export type CreateUnitBody = z.input<typeof createUnitBody>;

export const updateUnitBody = z
  .object({ name: text(200).optional(), type: z.enum(UNIT_TYPES).optional(), address: text(300).nullable().optional(), disabled: z.boolean().optional() })
  .strict();
export type UpdateUnitBody = z.input<typeof updateUnitBody>;

const phone = z.string().trim().regex(/^\+?[0-9][0-9 -]{5,19}$/, 'phone: digits, spaces, - (6–20)');
const idNumber = z.string().trim().min(6).max(30).regex(/^[0-9A-Za-z]+$/, 'ID number: letters and digits');

export const createOperatorBody = z
  .object({
    username: usernameSchema,
    displayName: text(100),
    password: passwordField,
    phone: phone.nullable().optional(),
    idNumber: idNumber.nullable().optional(),
    isAdmin: z.boolean().optional(),
  })
  .strict();
export type CreateOperatorBody = z.input<typeof createOperatorBody>;

export const updateOperatorBody = z
  .object({
    displayName: text(100).optional(),
    phone: phone.nullable().optional(),
    idNumber: idNumber.nullable().optional(),
    isAdmin: z.boolean().optional(),
    disabled: z.boolean().optional(),
  })
  .strict();
export type UpdateOperatorBody = z.input<typeof updateOperatorBody>;

export const resetPasswordBody = z.object({ password: passwordField }).strict();
export type ResetPasswordBody = z.input<typeof resetPasswordBody>;

export const bindingBody = z.object({ operatorId: z.number().int().positive(), unitId: z.number().int().positive() }).strict();
export type BindingBody = z.input<typeof bindingBody>;

export const grantBody = bindingBody.extend({ business: z.enum(BUSINESSES) }).strict();
export type GrantBody = z.input<typeof grantBody>;

/** Station lock: a badge scan, or the operator's PIN (4–12 digits). */
export const stationCredentialBody = z
  .object({ badge: z.string().trim().min(4).max(128).optional(), pin: z.string().regex(/^\d{4,12}$/).optional() })
  .strict();
export type StationCredentialBody = z.input<typeof stationCredentialBody>;

export const unlockBody = z.union([
  z.object({ badge: z.string().trim().min(4).max(128) }).strict(),
  z.object({ operatorId: z.number().int().positive(), pin: z.string().regex(/^\d{4,12}$/) }).strict(),
]);
export type UnlockBody = z.input<typeof unlockBody>;

export const auditQuery = z
  .object({ before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(500).default(100), action: z.string().max(60).optional() })
  .strict();
export type AuditQuery = z.input<typeof auditQuery>;
