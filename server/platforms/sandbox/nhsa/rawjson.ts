/**
 * With `paramEncoding: 'object'` the platform signs param as the text that was sent, so the
 * sandbox must verify against that exact substring of the body, never a re-serialisation
 * (which could reorder keys or change whitespace and escapes). Only called on text that
 * JSON.parse has already accepted, so the scanner can skip error handling for malformed input.
 */

const WS = new Set([' ', '\t', '\n', '\r']);

function skipWs(text: string, i: number): number {
  while (i < text.length && WS.has(text[i]!)) i++;
  return i;
}

/** `i` at the opening quote; returns the index just past the closing quote. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') j++;
    else if (c === '"') return j + 1;
  }
  return text.length;
}

function valueEnd(text: string, i: number): number {
  const c = text[i];
  if (c === '"') return stringEnd(text, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const d = text[j];
      if (d === '"') j = stringEnd(text, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if ((d === '}' || d === ']') && --depth === 0) return j + 1;
    }
    return text.length;
  }
  let j = i;
  while (j < text.length && !WS.has(text[j]!) && text[j] !== ',' && text[j] !== '}' && text[j] !== ']') j++;
  return j;
}

/** The raw text of a top-level member's value; the last one wins, as in JSON.parse. */
export function rawMember(text: string, key: string): string | undefined {
  let i = skipWs(text, 0);
  if (text[i] !== '{') return undefined;
  let found: string | undefined;
  i = skipWs(text, i + 1);
  while (text[i] === '"') {
    const keyEnd = stringEnd(text, i);
    const name = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipWs(text, skipWs(text, keyEnd) + 1);
    const end = valueEnd(text, i);
    if (name === key) found = text.slice(i, end);
    i = skipWs(text, end);
    if (text[i] !== ',') break;
    i = skipWs(text, i + 1);
  }
  return found;
}
