import { describe, expect, it } from 'vitest';
import { categoriesOf, drugTypeField, parseDrugTypeField } from './index.js';

describe('sale categories (Gansu drugType, DOMAIN.md §7)', () => {
  it('maps product flags to categories, in either spelling and as SQLite 0/1', () => {
    expect([...categoriesOf({ prescription: true })]).toEqual(['YB']);
    expect([...categoriesOf({ ephedrine: true })]).toEqual(['YC']);
    expect([...categoriesOf({ narcotic_compound: 1 })]).toEqual(['YD']);
    expect([...categoriesOf({ narcoticCompound: true })]).toEqual(['YD']);
    expect([...categoriesOf({ prescription: 1, ephedrine: 1, narcotic_compound: 0 })]).toEqual(['YB', 'YC']);
    expect(categoriesOf({ prescription: false, ephedrine: 0, narcotic_compound: null }).size).toBe(0);
  });

  it('writes the drugType field in YB, YC, YD order', () => {
    expect(drugTypeField(new Set(['YC', 'YB'] as const))).toBe('YB,YC');
    expect(drugTypeField(['YD', 'YB', 'YC', 'YB'])).toBe('YB,YC,YD');
    expect(drugTypeField(categoriesOf({ ephedrine: true }))).toBe('YC');
    expect(drugTypeField([])).toBe('');
  });

  it('reads a drugType field back', () => {
    expect(parseDrugTypeField('YB,YC')).toEqual({ categories: new Set(['YB', 'YC']), unknown: [] });
    expect(parseDrugTypeField(' yc，YD ,YZ')).toEqual({ categories: new Set(['YC', 'YD']), unknown: ['YZ'] });
  });
});
