import type { LocalizedMessage } from '../codes/index.js';
import type { SaleCategory } from './categories.js';
import type { BuyerField, PrescriptionField, RuleAction, RuleKind } from './schema.js';

export type { LocalizedMessage };

export interface SaleLine {
  productId: string | number;
  /** Shown in messages: the name the pharmacist sees on the box. */
  name: string;
  categories: ReadonlySet<SaleCategory> | readonly SaleCategory[];
  /** Smallest packages (最小包装) sold on this line; lines with 0 or less count for nothing. */
  packs: number;
}

export interface Buyer {
  name?: string;
  idNumber?: string;
  phone?: string;
  residence?: string;
}

export interface Prescription {
  number?: string;
  prescriber?: string;
  hospital?: string;
  /** `YYYY-MM-DD`, the date written on the prescription; not after today (China time). */
  date?: string;
  /** Reference to the stored photo of the prescription. */
  photoRef?: string;
}

/** An earlier sale line to the same buyer, fetched by the caller for the window rules. */
export interface HistoryEntry {
  idNumber: string;
  /** One category, or all of the line's categories (the line then counts once per rule). */
  category?: SaleCategory;
  categories?: ReadonlySet<SaleCategory> | readonly SaleCategory[];
  packs: number;
  /** Sale time: a Date, epoch milliseconds, or an ISO 8601 string. Unreadable times count as inside the window. */
  at: Date | number | string;
}

export interface SaleInput {
  lines: readonly SaleLine[];
  buyer?: Buyer;
  prescription?: Prescription;
  history?: readonly HistoryEntry[];
  now: Date;
}

/** What went wrong. Stable codes (stored with a refused sale); add, never rename. */
export const VIOLATION_CODES = [
  'buyer_missing',
  'buyer_id_invalid',
  'prescription_missing',
  'prescription_incomplete',
  'prescription_date_invalid',
  'too_many_per_sale',
  'too_many_per_person',
] as const;
export type ViolationCode = (typeof VIOLATION_CODES)[number];

export interface Violation {
  /** The rule's id; `buyer_id_number` when an invalid ID was entered on a sale no identity rule covers. */
  ruleId: string;
  kind: RuleKind | 'id_number';
  code: ViolationCode;
  action: RuleAction;
  /** Indexes into input.lines. */
  lines: number[];
  productIds: (string | number)[];
  message: LocalizedMessage;
  reference?: string;
  /** The numbers behind the message, for the screen and the audit record. */
  facts?: {
    limit?: number;
    actual?: number;
    earlier?: number;
    windowDays?: number;
    missing?: string[];
    idReason?: string;
  };
}

/** A field the sale still needs before it can complete, named as in SaleInput (`buyer.idNumber`). */
export type NeedField = `buyer.${BuyerField}` | `prescription.${PrescriptionField}`;

export interface Need {
  field: NeedField;
  /** `missing`: not given; `invalid`: given but unusable (an ID number failing its check, a future date). */
  problem: 'missing' | 'invalid';
  ruleIds: string[];
  lines: number[];
  message: LocalizedMessage;
}

export interface SaleDecision {
  allowed: boolean;
  blocks: Violation[];
  warnings: Violation[];
  /** Only what blocking rules require: the sale can complete once these are given (and the blocks are gone). */
  needs: Need[];
}
