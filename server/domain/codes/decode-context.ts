import { currentYear } from './gs1-dates.js';
import type { LintContext } from './gs1-linters.js';

/** The reference year of one decode: the caller's `now`, or the clock (read lazily, see currentYear). */
export class DecodeContext implements LintContext {
  private readonly fixedYear: number;
  constructor(now: Date | undefined) {
    this.fixedYear = now === undefined ? -1 : now.getFullYear();
  }
  year(): number {
    return this.fixedYear >= 0 ? this.fixedYear : currentYear();
  }
}
