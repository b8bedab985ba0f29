import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REASON_CODES } from '../server/domain/codes/index.js';

const TSX = 'node_modules/.bin/tsx';
const FIXTURE = 'test/fixtures/codes/mixed-scans.txt';
const EXPECTED = 'test/fixtures/codes/mixed-scans.expected.jsonl';

function runCli(args: string[], stdin: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, ['scripts/decode.ts', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(stdin);
  });
}

describe('npm run decode (DESIGN.md §3)', () => {
  it('prints one correct JSON line per input line of mixed scans', async () => {
    const fixture = readFileSync(FIXTURE);
    const expected = readFileSync(EXPECTED, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const megabyteLine = Buffer.alloc(1 << 20, '8');
    // The fixture, a 1 MB line, and a last line without a final newline.
    const stdin = Buffer.concat([fixture, megabyteLine, Buffer.from('\n96385074')]);
    const inputLines = stdin.toString('latin1').split('\n').length;

    const { code, stdout, stderr } = await runCli(['--contract', '--now=2025-06-01'], stdin);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(inputLines);
    const objs = lines.map((l) => JSON.parse(l) as Record<string, unknown>);

    expect(objs.slice(0, expected.length)).toEqual(expected);
    // Spot checks of what the fixture holds, so a regenerated expected file cannot hide a regression.
    expect(objs[0]).toMatchObject({ kind: 'gs1', valid: true, aim: ']d2', serial: 'SN9876', expiry: '2028-12-31' });
    expect(objs[1]).toMatchObject({ kind: 'gs1', valid: true, ais: { '01': '09506000134352', '17': '281231' } });
    expect(objs[2]).toMatchObject({ kind: 'gs1', valid: true, batch: 'AB12' });
    expect(objs[3]).toMatchObject({ kind: 'unknown', valid: false, reason: 'empty' });
    expect(objs[5]).toMatchObject({ kind: 'trace20', traceCode: '83857930000879766660', prefix: '8385793' });
    expect(objs[11]).toMatchObject({ kind: 'unknown', reason: 'control_chars' });
    expect(objs[12]).toMatchObject({ kind: 'unknown', reason: 'invalid_utf8' });
    expect(objs[13]).toMatchObject({ input: '89123456789012345678', special: true });
    // Scan order is visible in the text only (JSON.parse lists "10", "17", "21" before "01").
    expect(lines[0]).toContain('"ais":{"01":"09506000134352","17":"281231","10":"AB12","21":"SN9876"}');

    const big = objs[expected.length]!;
    expect(big).toMatchObject({ kind: 'unknown', valid: false, reason: 'too_long' });
    expect((big.input as string).length).toBe(1 << 20);
    expect(objs[expected.length + 1]).toMatchObject({ input: '96385074', kind: 'commodity', valid: true, gtin: '00000096385074' });
    for (const o of objs) {
      expect(typeof o.kind).toBe('string');
      if (o.valid === false) expect(o.reason).toMatch(/^[a-z0-9_]+$/);
    }
  });

  it('adds plain-language messages by default, decodes arguments, and refuses bad options', async () => {
    const { stdout } = await runCli(['--expect=trace', '6901234567892', '0109506000134352<GS>21X'], Buffer.alloc(0));
    const [a, b] = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(a).toMatchObject({ kind: 'commodity', valid: false, reason: 'commodity_not_trace', message: { 'zh-CN': expect.stringContaining('追溯码') } });
    expect(b).toMatchObject({ kind: 'gs1', valid: true, serial: 'X' });
    const bad = await runCli(['--nope'], Buffer.alloc(0));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('usage');
  });
});

describe('docs/decoding.md', () => {
  it('documents every reason code support staff can meet', () => {
    const doc = readFileSync('docs/decoding.md', 'utf8');
    const missing = REASON_CODES.filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
