import type { AiSpec } from './ai-table.js';
import { AIS_LITERALS } from './gs1-ais-literals.js';
import { findInvalidPair, findMissingRequirements } from './gs1-associations.js';
import type { Gs1Element } from './gs1-types.js';

/**
 * Everything about a scan that depends only on which AIs it holds, in which order: computed once
 * per combination and reused, since a dock sees the same few combinations all day.
 */
export interface Gs1Layout {
  /** Distinct AIs in scan order (shared and frozen). */
  order: readonly string[];
  /** Property key of each element: a number for AIs like "17" that JS treats as array indices. */
  keys: readonly (string | number)[];
  /** Index of the first element with the same AI (differs from i for a repeated AI). */
  first: readonly number[];
  duplicates: boolean;
  /** Pre-shaped `ais` object: copying it is far cheaper than adding "10", "17"… keys one by one. */
  template: Readonly<Record<string, string>>;
  kind: 'gs1' | 'sscc';
  invalidPair: { ai: string; other: string } | null;
  missing: readonly { ai: string; needs: string }[];
  /** Nothing to add or reject: no repeated AI, no invalid pair, no missing partner. */
  clean: boolean;
  /** (10) or (21) is absent, so a field might have swallowed one (see gs1-swallow.ts). */
  lacksBatchOrSerial: boolean;
  /** A literal builder for this AI set (gs1-ais-literals.ts) and, per sorted AI, its element index. */
  literal: ((v: readonly string[], p: readonly number[]) => Record<string, string>) | undefined;
  sortedIndex: readonly number[];
}

/** The `ais` object of one scan: values[i] belongs to the layout's element i. */
export function buildAis(layout: Gs1Layout, values: readonly string[]): Record<string, string> {
  const literal = layout.literal;
  if (literal !== undefined) return literal(values, layout.sortedIndex);
  const ais: Record<string, string> = { ...layout.template };
  const keys = layout.keys;
  const n = layout.first.length;
  for (let i = 0; i < n; i++) ais[keys[i]!] = values[i]!;
  return ais;
}

/** A trie over AI table indices: finding a scan's layout costs one array read per AI. */
export interface LayoutNode {
  layout: Gs1Layout | undefined;
  next: (LayoutNode | undefined)[];
}

const MAX_NODES = 20_000;
let root: LayoutNode = { layout: undefined, next: [] };
let nodes = 1;

/** Start of a walk; junk input can produce endless combinations, so the trie restarts when big. */
export function layoutRoot(): LayoutNode {
  if (nodes > MAX_NODES) {
    root = { layout: undefined, next: [] };
    nodes = 1;
  }
  return root;
}

export function layoutStep(node: LayoutNode, spec: AiSpec): LayoutNode {
  let child = node.next[spec.index];
  if (child === undefined) {
    child = { layout: undefined, next: [] };
    node.next[spec.index] = child;
    nodes++;
  }
  return child;
}

export function buildLayout(specs: readonly AiSpec[]): Gs1Layout {
  const order: string[] = [];
  const first: number[] = [];
  const keys: (string | number)[] = [];
  const template: Record<string, string> = {};
  for (let i = 0; i < specs.length; i++) {
    const ai = specs[i]!.ai;
    const at = order.indexOf(ai);
    first.push(at < 0 ? i : specs.findIndex((e) => e.ai === ai));
    if (at < 0) {
      order.push(ai);
      template[ai] = '';
    }
    keys.push(ai.charCodeAt(0) === 48 ? ai : Number(ai));
  }
  const sorted = [...order].sort();
  const invalidPair = findInvalidPair(order);
  const missing = findMissingRequirements(order);
  const duplicates = order.length !== specs.length;
  return {
    order: Object.freeze(order),
    keys,
    first,
    duplicates,
    // Not frozen: V8 copies a frozen object with index keys on a slow path (~15× slower).
    template,
    kind: order.includes('00') && !order.includes('01') ? 'sscc' : 'gs1',
    invalidPair,
    missing,
    clean: !duplicates && invalidPair === null && missing.length === 0,
    lacksBatchOrSerial: !order.includes('10') || !order.includes('21'),
    literal: duplicates ? undefined : AIS_LITERALS[sorted.join(',')],
    sortedIndex: sorted.map((ai) => order.indexOf(ai)),
  };
}

export function layoutOf(els: readonly Gs1Element[]): Gs1Layout {
  let node = layoutRoot();
  for (let i = 0; i < els.length; i++) node = layoutStep(node, els[i]!.spec);
  return (node.layout ??= buildLayout(els.map((e) => e.spec)));
}
