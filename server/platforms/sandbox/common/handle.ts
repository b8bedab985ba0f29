import type { ControlTarget } from './control.js';
import type { Listening } from './listen.js';
import type { SandboxControls } from './types.js';

/** The controls a started sandbox hands back, reaching the same state as its control endpoints. */
export function sandboxControls<Account, Config, Kind, Stats extends object, Filter, Row>(
  server: Listening,
  addAccount: (a: Account) => void,
  t: ControlTarget<Filter, Row, Stats>,
): SandboxControls<Account, Config, Kind, Stats, Filter, Row> {
  return {
    url: server.url,
    close: server.close,
    addAccount,
    setFaults: (f) => void t.state.faults.set(f),
    forceFaults: (kinds) => t.state.faults.force(kinds),
    stats: () => t.stats(),
    rows: (filter) => t.state.store.rows(t.schemas.rowFilter.parse(filter ?? {})),
    duplicates: () => t.state.store.duplicates(),
  };
}
