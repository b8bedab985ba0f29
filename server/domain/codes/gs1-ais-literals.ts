/**
 * Object literals for the AI combinations a dock sees all day. V8 builds a literal with fixed keys
 * in a few nanoseconds, while adding keys such as "10" or "17" one by one (JS treats them as array
 * indices) costs ten times more. The k-th key (AIs sorted) takes v[p[k]]; every other combination uses
 * the layout's template instead, with the same result.
 */
type Builder = (v: readonly string[], p: readonly number[]) => Record<string, string>;

export const AIS_LITERALS: Readonly<Record<string, Builder>> = {
  '00': (v, p) => ({ '00': v[p[0]!]! }),
  '01': (v, p) => ({ '01': v[p[0]!]! }),
  '01,21': (v, p) => ({ '01': v[p[0]!]!, '21': v[p[1]!]! }),
  '01,10,17': (v, p) => ({ '01': v[p[0]!]!, '10': v[p[1]!]!, '17': v[p[2]!]! }),
  '01,10,17,21': (v, p) => ({ '01': v[p[0]!]!, '10': v[p[1]!]!, '17': v[p[2]!]!, '21': v[p[3]!]! }),
  '01,10,11,17,21': (v, p) => ({ '01': v[p[0]!]!, '10': v[p[1]!]!, '11': v[p[2]!]!, '17': v[p[3]!]!, '21': v[p[4]!]! }),
  '00,02,37': (v, p) => ({ '00': v[p[0]!]!, '02': v[p[1]!]!, '37': v[p[2]!]! }),
  '00,02,10,37': (v, p) => ({ '00': v[p[0]!]!, '02': v[p[1]!]!, '10': v[p[2]!]!, '37': v[p[3]!]! }),
  '00,02,10,17,37': (v, p) => ({ '00': v[p[0]!]!, '02': v[p[1]!]!, '10': v[p[2]!]!, '17': v[p[3]!]!, '37': v[p[4]!]! }),
};
