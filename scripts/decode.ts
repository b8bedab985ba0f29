/**
 * Decode CLI (DESIGN.md §3): one scan per input line on stdin → one JSON object per line on
 * stdout. Support staff paste scans to see what the workstation understands; conformance tests
 * use it as the parser contract. See docs/decoding.md.
 *
 *   npm run decode < scans.txt
 *   npm run decode -- --expect=trace "0109506000134352<GS>17281231"
 */
import { once } from 'node:events';
import { decodeScan, formatDecodedJson, type DecodeOptions } from '../server/domain/codes/index.js';

const USAGE = `usage: npm run decode -- [options] [scan …]
Reads one scan per line from stdin (or decodes the scans given as arguments) and prints one JSON
object per line. FNC1 may be a raw ASCII 29, or written as \\x1d, <GS> or |.
  --expect=trace     reject product-only barcodes (EAN-13, lone GTIN, NHSA codes)
  --fnc1=TOKEN       another FNC1 substitute the scanner sends (repeatable; default "|")
  --now=YYYY-MM-DD   reference date for the GS1 century window (default today)
  --contract         print only the DESIGN.md §3 fields (no message, no warnings)
  --help             this text`;

interface Cli {
  options: DecodeOptions;
  contract: boolean;
  scans: string[];
}

function parseArgs(argv: string[]): Cli | string {
  const options: DecodeOptions = {};
  const fnc1: string[] = [];
  const scans: string[] = [];
  let contract = false;
  for (const arg of argv) {
    const [flag, value] = arg.startsWith('--') ? [arg.slice(0, arg.indexOf('=') < 0 ? arg.length : arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : ['', arg];
    if (flag === '') scans.push(value);
    else if (flag === '--help') return USAGE;
    else if (flag === '--contract') contract = true;
    else if (flag === '--expect' && (value === 'trace' || value === 'any')) options.expect = value;
    else if (flag === '--fnc1' && value !== '') fnc1.push(value);
    else if (flag === '--now' && /^\d{4}-\d{2}-\d{2}$/.test(value)) options.now = new Date(`${value}T12:00:00`);
    else return `decode: bad option ${arg}\n\n${USAGE}`;
  }
  if (fnc1.length) options.fnc1Substitutes = ['|', ...fnc1];
  return { options, contract, scans };
}

async function main(): Promise<number> {
  const cli = parseArgs(process.argv.slice(2));
  if (typeof cli === 'string') {
    process.stderr.write(`${cli}\n`);
    return cli === USAGE ? 0 : 2;
  }
  const { stdout } = process;
  stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  let out = '';
  const emit = (line: string | Uint8Array): void => {
    // A CRLF file's CR belongs to the line break, not to the scan.
    const scan = typeof line !== 'string' && line[line.length - 1] === 13 ? line.subarray(0, line.length - 1) : line;
    out += `${formatDecodedJson(decodeScan(scan, cli.options), { contract: cli.contract })}\n`;
  };
  const flush = async (): Promise<void> => {
    if (out === '') return;
    const ok = stdout.write(out);
    out = '';
    if (!ok) await once(stdout, 'drain');
  };

  if (cli.scans.length > 0) {
    for (const s of cli.scans) emit(s);
    await flush();
    return 0;
  }
  // Split raw bytes, not text: invalid UTF-8 must reach the decoder as bytes to be reported.
  let pending: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl >= 0; nl = chunk.indexOf(10, start)) {
      pending.push(chunk.subarray(start, nl));
      emit(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
      pending = [];
      start = nl + 1;
      if (out.length > 1 << 16) await flush();
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    await flush();
  }
  if (pending.some((b) => b.length > 0)) emit(Buffer.concat(pending));
  await flush();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`decode: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
