import { describe, expect, it } from 'vitest';
import { formatHeaderText, formatPersonName, plainText } from '../../shared/dicom/display-text.ts';

describe('person names as a reading room shows them', () => {
  // [stored value, shown]
  const cases: [string, string][] = [
    ['DOE^JANE', 'DOE, JANE'],
    ['DOE^JANE^A', 'DOE, JANE A'],
    ['DOE^JANE^A^DR^MD', 'DOE, DR JANE A, MD'],
    ['DOE^JANE^^^III', 'DOE, JANE, III'],
    ['DOE^^^^MD', 'DOE, MD'],
    ['DOE^^^DR', 'DOE, DR'],
    ['^JANE', 'JANE'],
    ['^^^^MD', 'MD'],
    ['DOE', 'DOE'],
    ['DOE^', 'DOE'],
    ['DOE ^JANE  ', 'DOE, JANE'],
    ['VAN  DER BERG^ANNA', 'VAN DER BERG, ANNA'],
    ['', ''],
    ['^^^^', ''],
    ['==', ''],
    ['Anonymized33', 'Anonymized33'],
    // The character-set names of the corpus (06-dicomdir-charsets-clunie), as decoded at import.
    ['Yamada^Tarou=山田^太郎=やまだ^たろう', 'Yamada, Tarou (山田 太郎)'],
    ['ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう', 'ﾔﾏﾀﾞ, ﾀﾛｳ (山田 太郎)'],
    ['Hong^Gildong=洪^吉洞=홍^길동', 'Hong, Gildong (洪 吉洞)'],
    ['Wang^XiaoDong=王^小東', 'Wang, XiaoDong (王 小東)'],
    ['Wang^XiaoDong=王^小东=', 'Wang, XiaoDong (王 小东)'],
    ['Äneas^Rüdiger', 'Äneas, Rüdiger'],
    ['Buc^Jérôme', 'Buc, Jérôme'],
    ['Διονυσιος', 'Διονυσιος'],
    ['Люкceмбypг', 'Люкceмбypг'],
    ['قباني^لنزار', 'قباني, لنزار'],
    ['שרון^דבורה', 'שרון, דבורה'],
    // Only an ideographic or phonetic group: it is the name.
    ['=山田^太郎', '山田 太郎'],
    ['=山田^太郎=やまだ^たろう', '山田 太郎 (やまだ たろう)'],
    ['==やまだ^たろう', 'やまだ たろう'],
    ['Yamada^Tarou==やまだ^たろう', 'Yamada, Tarou (やまだ たろう)'],
    ['SAME=SAME', 'SAME'],
    // Several values; a value that is not a person name's structure is shown whole.
    ['DOE^JANE\\ROE^RICHARD', 'DOE, JANE; ROE, RICHARD'],
    ['a=b=c=d', 'a=b=c=d'],
    ['<img src=x onerror="a=1">', '<img src=x onerror="a=1">'],
    // Control characters: terminal escapes dropped, line breaks as spaces.
    ['DOE\u001b[31m^JANE\u0007', 'DOE[31m, JANE'],
    ['DOE\r\nSMITH^JANE', 'DOE SMITH, JANE'],
  ];
  it.each(cases)('%j is shown as %j', (stored, shown) => {
    expect(formatPersonName(stored)).toBe(shown);
  });

  // A document that identifies the patient (a report) shows every group.
  const allGroups: [string, string][] = [
    ['Yamada^Tarou=山田^太郎=やまだ^たろう', 'Yamada, Tarou (山田 太郎; やまだ たろう)'],
    ['Hong^Gildong=洪^吉洞=홍^길동', 'Hong, Gildong (洪 吉洞; 홍 길동)'],
    ['=山田^太郎=やまだ^たろう', '山田 太郎 (やまだ たろう)'],
    ['SAME=SAME=OTHER', 'SAME (OTHER)'],
    ['DOE^JANE', 'DOE, JANE'],
  ];
  it.each(allGroups)('%j is shown with all its groups as %j', (stored, shown) => {
    expect(formatPersonName(stored, { allGroups: true })).toBe(shown);
  });
});

describe('descriptions as a reader expects them', () => {
  const cases: [string, string][] = [
    ['MAMA^ROTINA', 'MAMA ROTINA'],
    ['MAMA^^ROTINA ', 'MAMA ROTINA'],
    ['^MG^BILATERAL^', 'MG BILATERAL'],
    ['t1_fl3d_tra_dynaVIEWS_spair_1+5', 't1_fl3d_tra_dynaVIEWS_spair_1+5'],
    ['Breast', 'Breast'],
    ['MR BREAST = BILATERAL', 'MR BREAST = BILATERAL'],
    ['"><svg onload=x>', '"><svg onload=x>'],
    ['LINE\tONE\nTWO', 'LINE ONE TWO'],
    ['', ''],
  ];
  it.each(cases)('%j is shown as %j', (stored, shown) => {
    expect(formatHeaderText(stored)).toBe(shown);
  });

  it('plain text keeps spacing and separators, only dropping control characters', () => {
    expect(plainText('A^B  C\u0007\u009b')).toBe('A^B  C');
  });

  it('drops bidirectional overrides, embeddings, isolates and marks that would reorder what surrounds them', () => {
    expect(plainText('BIDI\u202Egnp.exe')).toBe('BIDIgnp.exe');
    expect(plainText('\u2067DOE\u2069^\u200FJANE\u202A\u202C\u061C')).toBe('DOE^JANE');
    // Right-to-left names themselves are kept.
    expect(plainText('שרון^דבורה')).toBe('שרון^דבורה');
  });
});
