import { mulberry32 } from './prng.js';
import type { FaultConfigBase } from './types.js';

export interface Parser<T> {
  parse(input: unknown): T;
}

/**
 * Which calls fail and how; seeded, so a fault run can be replayed from its seed. Each sandbox
 * subclasses it with its own `next`, since which calls spend forced faults differs by platform.
 */
export class FaultPlan<K extends string, C extends FaultConfigBase<K>> {
  protected config: C;
  private forced: K[] = [];
  private rng: () => number = Math.random;
  readonly counts: Record<K, number>;

  constructor(
    kinds: readonly K[],
    defaults: C,
    private readonly patchSchema: Parser<Partial<C>>,
    private readonly forcedSchema: Parser<K[]>,
  ) {
    this.config = { ...defaults, kinds: [...defaults.kinds] };
    this.counts = Object.fromEntries(kinds.map((k) => [k, 0])) as Record<K, number>;
  }

  /** Throws a ZodError on bad input; a new seed restarts the sequence. */
  set(patch: unknown): C {
    const p = this.patchSchema.parse(patch);
    this.config = { ...this.config, ...p, kinds: p.kinds ? [...p.kinds] : this.config.kinds };
    if (p.seed !== undefined) this.rng = mulberry32(p.seed);
    return this.current;
  }

  force(kinds: unknown): void {
    this.forced.push(...this.forcedSchema.parse(kinds));
  }

  get current(): C {
    return { ...this.config, kinds: [...this.config.kinds] };
  }

  /**
   * A forced fault (when `spendForced`) or else a random one; `accept` vetoes a random kind that
   * means nothing for this call. The kind is drawn before the veto so that a vetoed call uses up
   * the same random numbers as any other, and a seed replays the same run.
   */
  protected draw(spendForced: boolean, accept: (kind: K) => boolean = () => true): K | null {
    let kind: K | null = spendForced ? (this.forced.shift() ?? null) : null;
    if (!kind && this.config.rate > 0 && this.config.kinds.length && this.rng() < this.config.rate) {
      kind = this.config.kinds[Math.floor(this.rng() * this.config.kinds.length)] ?? null;
      if (kind !== null && !accept(kind)) kind = null;
    }
    if (kind) this.counts[kind]++;
    return kind;
  }

  /** Mostly 500; gateways in front of the platform also answer 502 and 503. */
  status5xx(): number {
    const r = this.rng();
    return r < 0.6 ? 500 : r < 0.8 ? 502 : 503;
  }
}
