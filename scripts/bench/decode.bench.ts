/**
 * Decode throughput (issue 3 figures): our decoder on a realistic dock mix, and side by side with
 * bark-js and gs1-barcode-parser-mod on the GS1 subset (which they parse without validating check
 * digits or dates; ours validates everything). Medians of several interleaved runs.
 *
 *   tsx scripts/bench/decode.bench.ts [--quick]
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { decodeScan, encodeElementString, gs1CheckDigit, type DecodedScan } from '../../server/domain/codes/index.js';
import { mulberry32 } from '../../server/platforms/sandbox/common/prng.js';

export interface DecodeBenchRate {
  name: string;
  codesPerSec: number;
  /** Each run's figure, for the spread. */
  runs: number[];
  /** Inputs the parser threw on or answered as invalid (should be 0: the corpus is valid). */
  failures: number;
}

export interface DecodeBenchResult {
  name: 'decode';
  quick: boolean;
  corpus: { total: number; trace20: number; gs1DataMatrix: number; ean13: number; sscc: number };
  mix: DecodeBenchRate;
  gs1: { ours: DecodeBenchRate; competitors: DecodeBenchRate[] };
  /** Ours ÷ the fastest competitor on the GS1 subset. */
  ratio: number;
  target: number;
  meetsTarget: boolean;
  markdown: string;
}

const require = createRequire(import.meta.url);
type Parser = (code: string) => unknown;
const bark = require('bark-js') as Parser;
const { parseBarcode } = require('gs1-barcode-parser-mod') as { parseBarcode: Parser };

/** Deterministic corpus: the same codes every run and on every machine. */
const rng = mulberry32;

function buildCorpus(n: number): { mix: string[]; gs1: string[]; counts: DecodeBenchResult['corpus'] } {
  const r = rng(20250701);
  const digits = (k: number): string => Array.from({ length: k }, () => Math.floor(r() * 10)).join('');
  const ALNUM = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  const alnum = (k: number): string => Array.from({ length: k }, () => ALNUM[Math.floor(r() * ALNUM.length)]).join('');
  const withCheck = (d: string): string => d + gs1CheckDigit(d);
  const yymmdd = (): string => `${String(26 + Math.floor(r() * 5)).padStart(2, '0')}${String(1 + Math.floor(r() * 12)).padStart(2, '0')}${String(Math.floor(r() * 29)).padStart(2, '0')}`;
  const trace = (): string => (r() < 0.1 ? '89' + digits(18) : '8' + digits(19));
  const dataMatrix = (): string => {
    const pairs = [
      { ai: '01', value: withCheck('0' + '69' + digits(10)) },
      { ai: '17', value: yymmdd() },
      { ai: '10', value: alnum(6 + Math.floor(r() * 5)) },
      { ai: '21', value: alnum(12 + Math.floor(r() * 9)) },
    ];
    if (r() < 0.5) pairs.splice(2, 0, { ai: '11', value: yymmdd().replace(/^\d\d/, '24') });
    return `]d2${encodeElementString(pairs)}`;
  };
  const ean13 = (): string => withCheck('69' + digits(10));
  const sscc = (): string => `]C100${withCheck(String(Math.floor(r() * 10)) + '69' + digits(14))}`;
  const counts = { total: n, trace20: Math.round(n * 0.4), gs1DataMatrix: Math.round(n * 0.35), ean13: Math.round(n * 0.15), sscc: 0 };
  counts.sscc = n - counts.trace20 - counts.gs1DataMatrix - counts.ean13;
  const dm = Array.from({ length: counts.gs1DataMatrix }, dataMatrix);
  const ss = Array.from({ length: counts.sscc }, sscc);
  const mix = [...Array.from({ length: counts.trace20 }, trace), ...dm, ...Array.from({ length: counts.ean13 }, ean13), ...ss];
  // Shuffle so branch predictors see a real dock's interleaving, not long runs of one kind.
  for (let i = mix.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [mix[i], mix[j]] = [mix[j]!, mix[i]!];
  }
  // Scans reach the decoder as text decoded from scanner bytes (flat strings), not as the
  // concatenation trees the generator built; give every parser the same flat input.
  const flat = (xs: string[]): string[] => xs.map((x) => utf8.decode(utf8enc.encode(x)));
  return { mix: flat(mix), gs1: flat([...dm, ...ss]), counts };
}

const utf8 = new TextDecoder();
const utf8enc = new TextEncoder();
let sink = 0;

/** Codes per second of one timed pass set lasting at least `ms`. */
function timeOnce(fn: Parser, corpus: string[], ms: number): number {
  let count = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < corpus.length; i++) {
      const r = fn(corpus[i]!);
      if (r !== null && r !== undefined) sink++;
    }
    count += corpus.length;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (count / elapsed) * 1000;
}

function failures(fn: Parser, corpus: string[], isOk: (r: unknown) => boolean): number {
  let bad = 0;
  for (const c of corpus) {
    try {
      if (!isOk(fn(c))) bad++;
    } catch {
      bad++;
    }
  }
  return bad;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

export async function runDecodeBench(opts?: { quick?: boolean }): Promise<DecodeBenchResult> {
  const quick = opts?.quick ?? false;
  // Many short interleaved runs: on a shared machine a busy moment then spoils a few samples of
  // every parser rather than all samples of one, and the median discards them.
  const runs = quick ? 10 : 40;
  const ms = quick ? 30 : 60;
  const { mix, gs1, counts } = buildCorpus(quick ? 2000 : 10000);
  const ours: Parser = (c) => decodeScan(c);
  const valid = (r: unknown): boolean => (r as DecodedScan).valid;
  const anyAnswer = (r: unknown): boolean => r !== null && r !== undefined;
  const entries: { name: string; fn: Parser; corpus: string[]; ok: (r: unknown) => boolean }[] = [
    { name: 'TraceDock decodeScan (full mix)', fn: ours, corpus: mix, ok: valid },
    { name: 'TraceDock decodeScan', fn: ours, corpus: gs1, ok: valid },
    { name: 'bark-js', fn: bark, corpus: gs1, ok: anyAnswer },
    { name: 'gs1-barcode-parser-mod', fn: parseBarcode, corpus: gs1, ok: anyAnswer },
  ];
  const samples = entries.map(() => [] as number[]);
  for (const e of entries) timeOnce(e.fn, e.corpus, ms / 2); // warm-up: let the JIT settle
  for (let r = 0; r < runs; r++) {
    // Interleaved so a slow moment of the machine hits every parser alike.
    entries.forEach((e, i) => samples[i]!.push(timeOnce(e.fn, e.corpus, ms)));
    await new Promise((res) => setImmediate(res));
  }
  const rates: DecodeBenchRate[] = entries.map((e, i) => ({
    name: e.name,
    codesPerSec: median(samples[i]!),
    runs: samples[i]!,
    failures: failures(e.fn, e.corpus, e.ok),
  }));
  const [mixRate, oursGs1, ...competitors] = rates as [DecodeBenchRate, DecodeBenchRate, ...DecodeBenchRate[]];
  const fastest = Math.max(...competitors.map((c) => c.codesPerSec));
  const ratio = oursGs1.codesPerSec / fastest;
  const target = 2;
  const rows = [
    `| parser | corpus | validates check digits & dates | codes/s (median of ${runs}) | vs fastest competitor |`,
    '|---|---|---|---:|---:|',
    `| ${mixRate.name} | ${counts.total} mixed: ${counts.trace20} trace20, ${counts.gs1DataMatrix} GS1 DataMatrix, ${counts.ean13} EAN-13, ${counts.sscc} SSCC | yes | ${fmt(mixRate.codesPerSec)} | — |`,
    `| ${oursGs1.name} | GS1 subset (${gs1.length}) | yes | ${fmt(oursGs1.codesPerSec)} | **${ratio.toFixed(2)}×** |`,
    ...competitors.map((c) => `| ${c.name} | GS1 subset (${gs1.length}) | no | ${fmt(c.codesPerSec)} | ${(c.codesPerSec / fastest).toFixed(2)}× |`),
  ];
  const notes = `Target: ≥ ${target}× the fastest competitor with full validation on — ${ratio >= target ? 'met' : 'NOT met'}. ` +
    `Failures (threw or invalid on the valid corpus): ${rates.map((x) => `${x.name} ${x.failures}`).join(', ')}.`;
  if (sink < 0) console.log(sink);
  return {
    name: 'decode',
    quick,
    corpus: counts,
    mix: mixRate,
    gs1: { ours: oursGs1, competitors },
    ratio,
    target,
    meetsTarget: ratio >= target,
    markdown: `${rows.join('\n')}\n\n${notes}\n`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const res = await runDecodeBench({ quick: process.argv.includes('--quick') });
  process.stdout.write(res.markdown);
}
