/** The fault settings both sandboxes share; each adds which of its calls, besides the storing one, faults reach. */
export interface FaultConfigBase<K extends string> {
  /** 0..1; 0 = no random faults. */
  rate: number;
  kinds: K[];
  slowMs: number;
  hangMs: number;
  seed?: number;
}

/** The counts every sandbox reports; each adds its own per-call counters. */
export interface StatsBase<K extends string> {
  faults: Record<K, number>;
  stored: number;
}

export interface Duplicate {
  identity: string;
  count: number;
}

/** What a test or a standalone runner holds of a started sandbox, whichever platform it stands in for. */
export interface SandboxControls<Account, Config, Kind, Stats, Filter, Row> {
  /** http://127.0.0.1:<port> */
  url: string;
  close(): Promise<void>;
  addAccount(a: Account): void;
  setFaults(f: Partial<Config>): void;
  forceFaults(kinds: Kind[]): void;
  stats(): Stats;
  rows(filter?: Filter): Row[];
  /** Identical records stored more than once (a client that sent one twice). */
  duplicates(): Duplicate[];
}
