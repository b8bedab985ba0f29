import { z } from 'zod';

/**
 * The fault patch, forced list and control body for one sandbox's fault kinds. `flags` are the
 * sandbox's own switches (which calls besides the storing one faults reach); they are checked
 * as strictly as the rest, so a flag meant for the other sandbox is refused, not ignored.
 */
export function faultSchemas<const K extends readonly [string, ...string[]], F extends z.ZodRawShape>(kinds: K, flags: F) {
  const kind = z.enum(kinds);
  const patch = z
    .object({
      rate: z.number().min(0).max(1),
      kinds: z.array(kind),
      slowMs: z.number().int().min(0).max(600_000),
      hangMs: z.number().int().min(0).max(600_000),
      ...flags,
      seed: z.number().int(),
    })
    .partial()
    .strict();
  const forced = z.array(kind);
  // The control endpoint also takes `force` so a standalone sandbox can be made deterministic.
  const control = patch.extend({ force: forced.optional() }).strict();
  return { patch, forced, control };
}
