import { describeError } from '../api.js';
import { chinaToday } from '../retail.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One day's data for a page with a date picker (the register, the reconciliation): loads when the
 * date changes, keeps only the answer for the date still chosen, and says which day it shows.
 */
export class DayLoader<T> {
  date = $state(chinaToday());
  data = $state.raw<T | null>(null);
  /** The day `data` belongs to ('' before the first answer). */
  loadedDate = $state('');
  error = $state<string | null>(null);
  loading = $state(false);
  readonly valid = $derived(DAY.test(this.date));

  constructor(private readonly fetchDay: (date: string) => Promise<T>) {}

  async load(d: string = this.date): Promise<void> {
    this.loading = true;
    try {
      const r = await this.fetchDay(d);
      if (d === this.date) {
        this.data = r;
        this.loadedDate = d;
        this.error = null;
      }
    } catch (err) {
      this.error = describeError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Call inside `$effect`: reloads whenever a valid date is chosen. */
  follow(): void {
    const d = this.date;
    if (DAY.test(d)) void this.load(d);
  }
}
