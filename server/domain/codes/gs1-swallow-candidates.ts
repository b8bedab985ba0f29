/**
 * AIs that really do follow a batch or serial on packs and cases, i.e. what a variable-length
 * field may have swallowed when FNC1 was dropped. Others (internal 90–99 take any text, so any
 * suffix "parses") would turn ordinary serials into false alarms.
 */
export const LIKELY_NEXT: ReadonlySet<string> = new Set([
  '00', '01', '02', '03', '10', '11', '12', '13', '15', '16', '17', '20', '21', '22', '30', '37', '240', '241', '250', '251', '7003', '8006', '8008',
]);

/** Their two-digit starts: a field without such a digit pair cannot hide one. */
export const SWALLOW_PREFIX = new Uint8Array(100);
for (const ai of LIKELY_NEXT) SWALLOW_PREFIX[Number(ai.slice(0, 2))] = 1;

/** Same test as a regular expression (run natively): such a pair at position 1 or later. */
export const SWALLOW_PAIR_RE = new RegExp(
  `.(?:${[...SWALLOW_PREFIX.keys()].filter((k) => SWALLOW_PREFIX[k] === 1).map((k) => String(k).padStart(2, '0')).join('|')})`,
);
