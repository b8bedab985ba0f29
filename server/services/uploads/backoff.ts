export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/** One failed call is a fault of that call; this many in a row mean the endpoint is in trouble. */
const HOLD_AFTER = 5;

/**
 * Exponential backoff with jitter per platform endpoint: a dead network or an overloaded platform
 * is not hammered, and a fleet of workstations coming back online does not retry in lock-step.
 * Days offline cost nothing but one call per `maxMs`.
 */
export class EndpointBackoff {
  private streak = 0;
  private until = 0;

  constructor(
    private readonly o: BackoffOptions,
    private readonly random: () => number = Math.random,
  ) {}

  /** When the failed call's records may go again. */
  failed(now: number): number {
    const delay = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(this.streak, 20));
    this.streak++;
    this.until = now + Math.round(delay * (0.5 + this.random() / 2));
    return this.until;
  }

  succeeded(): void {
    this.streak = 0;
    this.until = 0;
  }

  /** Until when every call waits (0 = not holding): only after several failures in a row. */
  holdUntil(now: number): number {
    return this.streak >= HOLD_AFTER && this.until > now ? this.until : 0;
  }

  get failures(): number {
    return this.streak;
  }
}
