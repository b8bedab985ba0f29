import fs from 'node:fs';

/**
 * CSV as Chinese offices produce it: Excel's "CSV UTF-8" (with BOM), plain UTF-8, Excel's default
 * "CSV" on a Chinese Windows (GBK/GB18030, no BOM), or "Unicode text" (UTF-16LE, tab-separated).
 * Without a BOM the bytes decide: valid UTF-8 is UTF-8, anything else is read as GB18030 (a
 * superset of GBK and GB2312). Quoted fields follow RFC 4180 (doubled quotes, line breaks inside).
 */
export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030';

export async function detectEncoding(file: string): Promise<CsvEncoding> {
  const head = Buffer.alloc(3);
  const fd = await fs.promises.open(file, 'r');
  try {
    await fd.read(head, 0, 3, 0);
  } finally {
    await fd.close();
  }
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const probe = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of fs.createReadStream(file)) probe.decode(chunk as Buffer, { stream: true });
    probe.decode();
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/** Records of the file, in order; `record` is the 1-based row number a spreadsheet would show. */
export async function* readCsv(file: string): AsyncGenerator<{ record: number; cells: string[] }> {
  const decoder = new TextDecoder(await detectEncoding(file)); // ignoreBOM is false: a BOM is dropped
  const parser = new CsvParser();
  let record = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    for (const cells of parser.push(decoder.decode(chunk as Buffer, { stream: true }))) yield { record: ++record, cells };
  }
  for (const cells of parser.push(decoder.decode())) yield { record: ++record, cells };
  for (const cells of parser.end()) yield { record: ++record, cells };
}

class CsvParser {
  private delimiter: string | null = null;
  private field = '';
  private row: string[] = [];
  private quoted = false;
  /** A quote seen inside a quoted field: either the closing quote or the first of a doubled pair. */
  private quotePending = false;
  private lastWasCr = false;
  private pending = '';

  push(text: string): string[][] {
    if (this.delimiter === null) {
      // The delimiter is whichever of , ; TAB the header line uses most; wait for a whole line.
      this.pending += text;
      const nl = this.pending.search(/[\r\n]/);
      if (nl < 0) return [];
      this.delimiter = pickDelimiter(this.pending.slice(0, nl));
      text = this.pending;
      this.pending = '';
    }
    return this.scan(text);
  }

  end(): string[][] {
    if (this.delimiter === null) {
      this.delimiter = pickDelimiter(this.pending);
      const out = this.scan(this.pending);
      this.pending = '';
      return [...out, ...this.flush()];
    }
    return this.flush();
  }

  private flush(): string[][] {
    if (this.field === '' && this.row.length === 0 && !this.quotePending) return [];
    this.row.push(this.field);
    const out = [this.row];
    this.row = [];
    this.field = '';
    this.quoted = this.quotePending = false;
    return out;
  }

  private scan(text: string): string[][] {
    const out: string[][] = [];
    const d = this.delimiter!;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.lastWasCr) {
        this.lastWasCr = false;
        if (c === '\n') continue;
      }
      if (this.quoted) {
        if (this.quotePending) {
          this.quotePending = false;
          if (c === '"') {
            this.field += '"';
            continue;
          }
          this.quoted = false; // the closing quote; c is handled below as unquoted text
        } else {
          if (c === '"') this.quotePending = true;
          else this.field += c;
          continue;
        }
      }
      if (c === '"' && this.field === '') this.quoted = true;
      else if (c === d) {
        this.row.push(this.field);
        this.field = '';
      } else if (c === '\n' || c === '\r') {
        this.lastWasCr = c === '\r';
        this.row.push(this.field);
        out.push(this.row);
        this.row = [];
        this.field = '';
      } else this.field += c;
    }
    return out;
  }
}

function pickDelimiter(line: string): string {
  const count = (ch: string) => line.split(ch).length - 1;
  const scores = [',', '\t', ';'].map((d) => [d, count(d)] as const);
  const best = scores.reduce((a, b) => (b[1] > a[1] ? b : a));
  return best[1] > 0 ? best[0] : ',';
}
