/** Accepted records over a sliding minute, for the monitor (in memory: a restart starts at zero). */
export class Throughput {
  private samples: Array<{ at: number; n: number }> = [];

  constructor(private readonly now: () => number = Date.now) {}

  add(n: number): void {
    if (n > 0) this.samples.push({ at: this.now(), n });
  }

  lastMinute(): { acceptedLastMinute: number; perSecond: number } {
    const since = this.now() - 60_000;
    this.samples = this.samples.filter((s) => s.at >= since);
    const total = this.samples.reduce((a, s) => a + s.n, 0);
    // The rate now: the last ten seconds, not a burst divided by the moment it took.
    const recent = this.samples.filter((s) => s.at >= this.now() - 10_000).reduce((a, s) => a + s.n, 0);
    return { acceptedLastMinute: total, perSecond: Math.round(recent) / 10 };
  }
}
