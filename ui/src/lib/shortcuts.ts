import { DEFAULT_WEDGE_OPTIONS } from '../../../drivers/wedge/detector';

/**
 * Single-character shortcuts ("1" opens station 1, "R" refreshes) must not fire when a
 * keyboard-wedge scanner types a code on a page. A key that follows the previous one faster than a
 * person can type is part of a burst; and a shortcut waits a moment before acting, so that the
 * first key of a burst is cancelled by the second.
 */
export function shortcutGate(settleMs = 60): {
  /** Call first for every keydown; false means "part of a scanner burst, ignore it". */
  accept(ev: KeyboardEvent): boolean;
  /** Runs a character shortcut unless another key arrives within settleMs. */
  later(action: () => void): void;
} {
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return {
    accept(ev) {
      const fast = ev.timeStamp - last <= DEFAULT_WEDGE_OPTIONS.maxInterKeyMs;
      last = ev.timeStamp;
      clearTimeout(timer);
      timer = undefined;
      return !fast;
    },
    later(action) {
      timer = setTimeout(() => {
        timer = undefined;
        action();
      }, settleMs);
    },
  };
}
