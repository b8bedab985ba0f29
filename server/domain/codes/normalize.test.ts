import { describe, expect, it } from 'vitest';
import { foldWidth, normalizeScan } from './normalize.js';

describe('normalizeScan', () => {
  it('splits off and keeps the AIM identifier', () => {
    expect(normalizeScan(']d2\x1d0109506000134352')).toMatchObject({ aim: ']d2', text: '0109506000134352', hasGs: true });
    expect(normalizeScan('0109506000134352').hasGs).toBe(false);
    expect(normalizeScan(']E06901234567892')).toMatchObject({ aim: ']E0', text: '6901234567892' });
    expect(normalizeScan(']Z6REVINF')).toMatchObject({ aim: ']Z6', text: 'REVINF' });
    expect(normalizeScan('0109506000134352').aim).toBeUndefined();
  });
  it('removes trailing CR/LF/TAB/NUL and surrounding spaces', () => {
    expect(normalizeScan('  83857930000879766660\r\n').text).toBe('83857930000879766660');
    expect(normalizeScan('83857930000879766660\t').text).toBe('83857930000879766660');
    expect(normalizeScan('83857930000879766660\0\0\0').text).toBe('83857930000879766660');
    expect(normalizeScan('\ufeff6901234567892').text).toBe('6901234567892');
  });
  it('turns FNC1 substitutes and keyboard-mangled forms into ASCII 29', () => {
    const want = '0109506000134352\x1d10AB';
    for (const sep of ['\x1d', '|', '\\x1d', '\\x1D', '\\u001d', '<GS>', '<gs>', '[GS]', '{GS}', '^]', '<FNC1>', '\u241d', '\u2194']) {
      const n = normalizeScan(`0109506000134352${sep}10AB`);
      expect(n.text, JSON.stringify(sep)).toBe(want);
      expect(n.hasGs).toBe(true);
    }
  });
  it('accepts configured substitutes but never a GS1 data character', () => {
    expect(normalizeScan('01095060001343521~0AB'.replace('1~0', '~10'), { fnc1Substitutes: ['~'] }).text).toBe('0109506000134352\x1d10AB');
    expect(normalizeScan('0109506000134352@@10AB', { fnc1Substitutes: ['@@'] }).text).toBe('0109506000134352\x1d10AB');
    expect(normalizeScan('10A/B', { fnc1Substitutes: ['/'] }).text).toBe('10A/B');
    expect(normalizeScan('10A|B', { fnc1Substitutes: [] }).text).toBe('10A|B');
  });
  it('drops a leading FNC1', () => {
    expect(normalizeScan('\x1d\x1d0109506000134352').text).toBe('0109506000134352');
    expect(normalizeScan(']C1|0109506000134352').text).toBe('0109506000134352');
  });
  it('folds full-width digits and letters', () => {
    expect(normalizeScan('８３８５７９３００００８７９７６６６６０').text).toBe('83857930000879766660');
    expect(foldWidth('（０１）ＡＢ　１')).toBe('(01)AB 1');
  });
  it('joins keyed-in 7 + 13 trace code labels', () => {
    for (const v of ['药品标识码：8385793 序列号：0000879766660', '8385793-0000879766660', '8385793 0000879766660', '追溯码: 8385 7930 0008 7976 6660', '8385793—0000879766660']) {
      const n = normalizeScan(v);
      expect(n.text, v).toBe('83857930000879766660');
      expect(n.keyedTrace).toBe(true);
    }
    expect(normalizeScan('6901234-567892').text).toBe('6901234-567892');
  });
  it('unwraps an ISO/IEC 15434 format-05 envelope', () => {
    expect(normalizeScan('[)>\x1e05\x1d0109506000134352\x1d10AB\x1e\x04')).toMatchObject({ text: '0109506000134352\x1d10AB', hasControl: false });
  });
  it('flags control characters other than FNC1', () => {
    expect(normalizeScan('0109\x07506000134352').hasControl).toBe(true);
    expect(normalizeScan('8385\x7f793').hasControl).toBe(true);
    expect(normalizeScan('0109506000134352\x1d10AB').hasControl).toBe(false);
  });
});
