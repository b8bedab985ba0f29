import { describe, expect, it } from 'vitest';
import { AI_LENGTH_BY_PREFIX, AI_SPECS, lookupAi, lookupAiAt } from './ai-table.js';
import { aiDecimalValue, aiTitle } from './gs1-values.js';

const shape = (ai: string): string => {
  const s = lookupAi(ai)!;
  return s.components.map((c) => `${c.optional ? '[' : ''}${c.cset}${c.min === c.max ? c.max : `..${c.max}`}${c.optional ? ']' : ''}`).join(' ');
};

describe('AI table (GS1 General Specifications §3)', () => {
  it('holds every AI family of the current GenSpecs', () => {
    // 3100–3695 measures (6 decimal variants each), 3900–3955 amounts, 7030–7039, 7230–7239, 91–99 …
    expect(AI_SPECS.length).toBe(536);
    for (const ai of ['00', '01', '02', '03', '10', '11', '17', '21', '235', '253', '255', '3103', '3695', '3955', '4309', '4333',
      '7003', '7011', '7040', '7041', '712', '7259', '8001', '8013', '8014', '8030', '8112', '8200', '90', '99']) {
      expect(lookupAi(ai), ai).toBeDefined();
    }
    for (const ai of ['04', '14', '19', '23', '3106', '3696', '3944', '7012', '717', '8027', '89']) expect(lookupAi(ai), ai).toBeUndefined();
  });
  it('knows fixed and variable lengths and character sets', () => {
    expect(shape('00')).toBe('N18');
    expect(shape('01')).toBe('N14');
    expect(shape('10')).toBe('X..20');
    expect(shape('21')).toBe('X..20');
    expect(shape('235')).toBe('X..28');
    expect(shape('7003')).toBe('N6 N4');
    expect(shape('8010')).toBe('Y..30');
    expect(shape('8030')).toBe('Z..90');
    expect(shape('4330')).toBe('N6 [X1]');
    expect(shape('253')).toBe('N13 [X..17]');
    expect(shape('3910')).toBe('N3 N..15');
  });
  it('marks exactly the predefined-length AIs of GenSpecs Figure 7.8.5-2', () => {
    const predefined = AI_SPECS.filter((s) => s.predefined).map((s) => s.ai.slice(0, 2));
    expect([...new Set(predefined)].sort()).toEqual(['00', '01', '02', '03', '11', '12', '13', '15', '16', '17', '20', '31', '32', '33', '34', '35', '36', '41']);
    expect(lookupAi('7003')!.predefined).toBe(false);
    expect(lookupAi('10')!.predefined).toBe(false);
  });
  it('derives the AI length from the first two digits', () => {
    expect(AI_LENGTH_BY_PREFIX[1]).toBe(2);
    expect(AI_LENGTH_BY_PREFIX[24]).toBe(3);
    expect(AI_LENGTH_BY_PREFIX[31]).toBe(4);
    expect(AI_LENGTH_BY_PREFIX[71]).toBe(3);
    expect(AI_LENGTH_BY_PREFIX[72]).toBe(4);
    expect(AI_LENGTH_BY_PREFIX[19]).toBe(0);
    expect(lookupAiAt('x3103001250', 1, 11)?.ai).toBe('3103');
    expect(lookupAiAt('712ABC', 0, 6)?.ai).toBe('712');
    expect(lookupAiAt('31', 0, 2)).toBeUndefined();
  });
  it('carries decimal positions, titles and Digital Link keys', () => {
    expect(lookupAi('3103')!.decimals).toBe(3);
    expect(lookupAi('3922')!.decimals).toBe(2);
    expect(lookupAi('01')!.decimals).toBe(-1);
    expect(aiDecimalValue('3103', '001250')).toBe('1.250');
    expect(aiDecimalValue('3100', '000450')).toBe('450');
    expect(aiDecimalValue('3932', '156001995')).toBe('19.95');
    expect(aiDecimalValue('10', 'AB')).toBeUndefined();
    expect(aiTitle('17')).toBe('USE BY or EXPIRY');
    expect(lookupAi('01')!.dlPrimaryKey).toBe(true);
    expect(lookupAi('01')!.dlQualifiers).toEqual([['22', '10', '21'], ['235']]);
    expect(lookupAi('10')!.dlPrimaryKey).toBe(false);
  });
});
