import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createPtyPair } from '../drivers/virtual/pty-pair.js';

/**
 * Replays recorded scan sessions — for demos, support cases and load checks.
 *   npm run replay -- --station 1 session.txt            one scan per line, POSTed over HTTP
 *   npm run replay -- --pty /tmp/scanner0 session.txt    through a real pty (bind /tmp/scanner0 as a serial scanner)
 *   npm run replay -- --station 1 --spool data/spool/unsaved-scans.ndjson   re-submit scans the database refused
 * Lines may contain `\x1d` or `<GS>` for ASCII 29.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: process.env.TRACEDOCK_URL ?? 'http://127.0.0.1:8720' },
    station: { type: 'string' },
    pty: { type: 'string' },
    spool: { type: 'string' },
    interval: { type: 'string', default: '200' },
  },
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const interval = Number(values.interval);
const unescape = (l: string) => l.replace(/\\x1d|<GS>/gi, '\x1d');

async function post(body: Record<string, string>): Promise<string> {
  const res = await fetch(`${values.url}/api/stations/${values.station}/scans`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as { decision?: string; reasonCode?: string; error?: { code: string; message: string } };
  return json.error ? `error ${json.error.code}: ${json.error.message}` : `${json.decision}${json.reasonCode ? ` (${json.reasonCode})` : ''}`;
}

async function main(): Promise<void> {
  if (values.spool) {
    if (!values.station) throw new Error('--spool needs --station');
    const lines = fs.readFileSync(values.spool, 'utf8').split('\n').filter(Boolean);
    for (const l of lines) console.log(await post({ rawBase64: (JSON.parse(l) as { rawBase64: string }).rawBase64 }));
    return;
  }
  const file = positionals[0];
  if (!file) throw new Error('give a session file (one scan per line)');
  const scans = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.length > 0).map(unescape);
  if (values.pty) {
    const pty = await createPtyPair(values.pty);
    console.log(`pty ready: bind ${pty.scannerPath} as a serial scanner; starting in 3 s`);
    await sleep(3000);
    for (const s of scans) {
      await pty.write(`${s}\r`);
      await sleep(interval);
    }
    await pty.close();
    return;
  }
  if (!values.station) throw new Error('give --station N (or --pty PATH)');
  for (const s of scans) {
    console.log(`${JSON.stringify(s)} → ${await post({ raw: s })}`);
    await sleep(interval);
  }
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
