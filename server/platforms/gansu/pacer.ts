export interface AccountPacerOptions {
  /** The platform's limit: one call per this many ms per account (default 1000). */
  intervalMs?: number;
  /** Added to every gap, for the time a request takes to reach the platform (default 100). */
  marginMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * At most one saveSaleData call per second per platform account (loginId), start to start: the
 * guide's "接口调用的频率不能超过 1 次/每秒" (453 otherwise). `turn` reserves the next start slot
 * synchronously, so concurrent callers for one account queue up instead of racing; it resolves at
 * that slot. Get the token first, then wait for the turn, then send: the gap the platform measures
 * is between the saveSaleData requests, not the getToken calls before them.
 */
export class AccountPacer {
  private readonly next = new Map<string, number>();
  private readonly gap: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(o: AccountPacerOptions = {}) {
    this.gap = (o.intervalMs ?? 1_000) + (o.marginMs ?? 100);
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? realSleep;
  }

  /** Resolves when this account may start its next call; that start counts from the moment it resolves. */
  async turn(loginId: string): Promise<void> {
    const t = this.now();
    const at = Math.max(t, this.next.get(loginId) ?? -Infinity);
    this.next.set(loginId, at + this.gap);
    if (at > t) await this.sleep(at - t);
  }

  /** No call for this account before `ms` from now (after a 453, or a platform asking for a pause). */
  holdOff(loginId: string, ms: number): void {
    const until = this.now() + ms;
    if ((this.next.get(loginId) ?? -Infinity) < until) this.next.set(loginId, until);
  }

  /** When the account's next call may start (ms on this pacer's clock), or null before its first. */
  nextStart(loginId: string): number | null {
    return this.next.get(loginId) ?? null;
  }
}
