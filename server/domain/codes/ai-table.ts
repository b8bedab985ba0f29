import { AI_DICTIONARY } from './ai-dictionary.js';
import { CSET39, CSET64, CSET82, NUM } from './charset.js';
import { LINTERS, UNCHECKED_LINTERS, type Linter } from './gs1-linters.js';
import type { ReasonCode } from './reasons.js';

export interface AiComponent {
  /** N digits, X CSET 82, Y CSET 39, Z CSET 64. */
  cset: 'N' | 'X' | 'Y' | 'Z';
  /** CHAR_CLASS bit of the set. */
  set: number;
  min: number;
  max: number;
  optional: boolean;
  linters: Linter[];
  linterNames: string[];
}

/** An AI pattern such as '01', '310n' or '31nn': a literal prefix and the AI's length. */
export interface AiPattern {
  prefix: string;
  length: number;
}

export interface AiSpec {
  /** Position in AI_SPECS, for per-AI lookup tables elsewhere. */
  index: number;
  ai: string;
  title: string;
  /** Predefined length (GenSpecs Figure 7.8.5-2): no FNC1 needed after it. */
  predefined: boolean;
  dlAttribute: boolean;
  components: AiComponent[];
  minLength: number;
  maxLength: number;
  /** Each entry is one req= rule: one of its alternatives (AND-groups of patterns) must be present. */
  requires: AiPattern[][][];
  excludes: AiPattern[];
  dlPrimaryKey: boolean;
  /** Allowed ordered qualifier sequences after this primary key in a Digital Link path. */
  dlQualifiers: string[][];
  /** Decimal places implied by the last AI digit (31nn–36nn, 39nn), else -1. */
  decimals: number;
  /** Reason reported when this AI's check digit is wrong. */
  checkReason: ReasonCode;
  /** The data is one digits-only component without a check (fast path). */
  plainNumeric: boolean;
  /** Shape with a dedicated validation loop (FAST_* below), or 0 for the generic component walk. */
  fast: number;
}

/** One fixed-length digit field with a GS1 check digit: GTIN, SSCC, GLN… */
export const FAST_KEY = 1;
/** YYMMDD where DD = 00 means end of month: dates 11–17. */
export const FAST_DATE0 = 2;
/** Free text in CSET 82 without further rules: batch, serial… */
export const FAST_TEXT = 3;

function fastKind(components: AiComponent[]): number {
  if (components.length !== 1) return 0;
  const c = components[0]!;
  const rules = c.linterNames.filter((n) => !UNCHECKED_LINTERS.has(n)).join(',');
  if (c.cset === 'N' && c.min === c.max && rules === 'csum') return FAST_KEY;
  if (c.cset === 'N' && c.min === 6 && c.max === 6 && rules === 'yymmd0') return FAST_DATE0;
  if (c.cset === 'X' && rules === '' && !c.optional) return FAST_TEXT;
  return 0;
}

const SET_BITS = { N: NUM, X: CSET82, Y: CSET39, Z: CSET64 } as const;

function parsePattern(p: string): AiPattern {
  const n = p.indexOf('n');
  return { prefix: n < 0 ? p : p.slice(0, n), length: p.length };
}

function parseComponent(token: string): AiComponent {
  const optional = token.startsWith('[');
  const [typePart = '', ...linterNames] = token.replace(/[[\]]/g, '').split(',');
  const m = /^([NXYZ])(\.\.)?(\d+)$/.exec(typePart);
  if (!m) throw new Error(`AI table: bad component ${token}`);
  const cset = m[1] as AiComponent['cset'];
  const max = Number(m[3]);
  const linters: Linter[] = [];
  for (const name of linterNames) {
    const fn = LINTERS[name];
    if (fn) linters.push(fn);
    else if (!UNCHECKED_LINTERS.has(name)) throw new Error(`AI table: unknown linter ${name}`);
  }
  return { cset, set: SET_BITS[cset], min: m[2] ? 1 : max, max, optional, linters, linterNames };
}

function checkReasonFor(ai: string): ReasonCode {
  if (ai === '00') return 'sscc_check_digit';
  if (ai === '01' || ai === '02' || ai === '03' || ai === '8006' || ai === '8026') return 'gtin_check_digit';
  if (ai.startsWith('41')) return 'gln_check_digit';
  return 'gs1_check_digit';
}

function parseLine(line: string): AiSpec[] {
  const hash = line.indexOf('#');
  const title = hash < 0 ? '' : line.slice(hash + 1).trim();
  const tokens = (hash < 0 ? line : line.slice(0, hash)).trim().split(/\s+/);
  const range = tokens.shift() ?? '';
  let flags = '';
  if (tokens[0] !== undefined && /^[*?]+$/.test(tokens[0])) flags = tokens.shift() ?? '';
  const components: AiComponent[] = [];
  const requires: AiPattern[][][] = [];
  const excludes: AiPattern[] = [];
  let dlPrimaryKey = false;
  let dlQualifiers: string[][] = [];
  for (const t of tokens) {
    if (t.startsWith('req=')) requires.push(t.slice(4).split(',').map((alt) => alt.split('+').map(parsePattern)));
    else if (t.startsWith('ex=')) excludes.push(...t.slice(3).split(',').map(parsePattern));
    else if (t === 'dlpkey') dlPrimaryKey = true;
    else if (t.startsWith('dlpkey=')) {
      dlPrimaryKey = true;
      dlQualifiers = t.slice(7).split('|').map((seq) => seq.split(','));
    } else components.push(parseComponent(t));
  }
  const [from = '', to = from] = range.split('-');
  const specs: AiSpec[] = [];
  for (let v = Number(from); v <= Number(to); v++) {
    const ai = String(v).padStart(from.length, '0');
    const family = ai.slice(0, 2);
    const decimalFamily = ai.length === 4 && (family === '39' || (family >= '31' && family <= '36'));
    let minLength = 0;
    let maxLength = 0;
    for (const c of components) {
      if (!c.optional) minLength += c.min;
      maxLength += c.max;
    }
    const only = components[0];
    specs.push({
      index: -1,
      ai,
      title,
      predefined: flags.includes('*'),
      dlAttribute: flags.includes('?'),
      components,
      minLength,
      maxLength,
      requires,
      excludes,
      dlPrimaryKey,
      dlQualifiers,
      decimals: decimalFamily ? v % 10 : -1,
      checkReason: checkReasonFor(ai),
      plainNumeric: components.length === 1 && only !== undefined && only.cset === 'N' && only.linters.length === 0,
      fast: fastKind(components),
    });
  }
  return specs;
}

export const AI_SPECS: readonly AiSpec[] = AI_DICTIONARY.split('\n')
  .filter((l) => l.trim() !== '')
  .flatMap(parseLine)
  .map((spec, index) => ({ ...spec, index }));

// Index by AI length (2–4) and numeric value; AI length itself follows from the first two
// digits (GenSpecs §3.2: every AI starting with the same two digits has the same length).
// One flat array: 2-digit AIs at 0–99, 3-digit at 100–1099, 4-digit at 1100–11099.
const BY_CODE: (AiSpec | undefined)[] = new Array<AiSpec | undefined>(11100).fill(undefined);
const OFFSET = [0, 0, 0, 100, 1100];
/** AI length for each two-digit prefix, 0 when no AI starts with it. */
export const AI_LENGTH_BY_PREFIX = new Uint8Array(100);
const BY_AI = new Map<string, AiSpec>();

for (const spec of AI_SPECS) {
  const p = Number(spec.ai.slice(0, 2));
  const known = AI_LENGTH_BY_PREFIX[p]!;
  if (known !== 0 && known !== spec.ai.length) throw new Error(`AI table: mixed lengths under prefix ${p}`);
  AI_LENGTH_BY_PREFIX[p] = spec.ai.length;
  BY_CODE[OFFSET[spec.ai.length]! + Number(spec.ai)] = spec;
  BY_AI.set(spec.ai, spec);
}

/** The AI spec whose digits start at s[pos], or undefined (unknown AI or fewer digits left than it needs). */
export function lookupAiAt(s: string, pos: number, end: number): AiSpec | undefined {
  if (pos + 2 > end) return undefined;
  const a = s.charCodeAt(pos) - 48;
  const b = s.charCodeAt(pos + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return undefined;
  const len = AI_LENGTH_BY_PREFIX[a * 10 + b]!;
  if (len === 0 || pos + len > end) return undefined;
  let v = a * 10 + b;
  for (let i = pos + 2; i < pos + len; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    v = v * 10 + d;
  }
  return BY_CODE[OFFSET[len]! + v];
}

export function lookupAi(ai: string): AiSpec | undefined {
  return BY_AI.get(ai);
}

export function matchesPattern(ai: string, p: AiPattern): boolean {
  return ai.length === p.length && ai.startsWith(p.prefix);
}
