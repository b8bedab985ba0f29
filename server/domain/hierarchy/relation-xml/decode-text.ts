/** Thrown by the decoder; the reader turns it into a RelationFileError at the parser's position. */
export class EncodingProblem extends Error {
  /** The readable text of the bad chunk before the first bad byte, so the position can be found. */
  constructor(message: string, readonly validPrefix = '') {
    super(message);
  }
}

/**
 * Bytes → text for the XML parser. Chinese producers still write GBK files with
 * `<?xml … encoding="GBK"?>` (workshop and line names are Chinese), so the declaration picks the
 * decoder; UTF-8 otherwise. Multi-byte characters split across chunks are kept by `stream: true`.
 */
export function chunkDecoder(): (chunk: Buffer | string | null) => string {
  let decoder: TextDecoder | undefined;
  return (chunk) => {
    if (typeof chunk === 'string') return chunk;
    try {
      if (chunk === null) return decoder ? decoder.decode() : '';
      decoder ??= new TextDecoder(labelOf(chunk), { fatal: true });
      return decoder.decode(chunk, { stream: true });
    } catch (err) {
      if (err instanceof EncodingProblem) throw err;
      const encoding = decoder?.encoding ?? 'utf-8';
      const lenient = chunk === null ? '' : new TextDecoder(encoding).decode(chunk);
      throw new EncodingProblem(`the bytes after this point are not valid ${encoding}`, lenient.slice(0, Math.max(0, lenient.indexOf('\uFFFD'))));
    }
  };
}

function labelOf(head: Buffer): string {
  const decl = /^(?:\uFEFF|\xEF\xBB\xBF)?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head.subarray(0, 200).toString('latin1'));
  const label = decl?.[1]?.toLowerCase() ?? 'utf-8';
  if (label === 'gbk' || label === 'gb2312' || label === 'gb18030') return 'gb18030';
  try {
    return new TextDecoder(label).encoding;
  } catch {
    throw new EncodingProblem(`unknown encoding "${label}" in the XML declaration`);
  }
}
