import { describe, expect, it } from 'vitest';
import { issuedIdKey, matchIdentities, nameMatchKeys } from '../../shared/patients/identity-match.ts';
import type { EvidenceAttribute, MatchVerdict, PatientIdentity } from '../../shared/patients/identity-match.ts';

type Side = Partial<PatientIdentity> & { name: string };

function identity(side: Side): PatientIdentity {
  return { patientId: 'P1', issuer: '', birthDate: '19700101', sex: 'F', otherPatientIds: null, ...side };
}

interface Case {
  why: string;
  a: Side;
  b: Side;
  verdict: MatchVerdict;
  /** Expected `agrees` of some attributes. */
  agrees?: Partial<Record<EvidenceAttribute, boolean | null>>;
}

// Names from the corpus's character-set samples (06-dicomdir-charsets-clunie) and their variants.
const CASES: Case[] = [
  // Japanese (SCSH31, SCSH32)
  { why: 'Japanese: all three groups as received', a: { name: 'Yamada^Tarou=山田^太郎=やまだ^たろう' }, b: { name: 'Yamada^Tarou=山田^太郎=やまだ^たろう', patientId: 'X9' }, verdict: 'match', agrees: { name: true } },
  { why: 'Japanese: half-width katakana against the same name in kanji', a: { name: 'ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう' }, b: { name: 'Yamada^Tarou=山田^太郎=やまだ^たろう', patientId: 'X9' }, verdict: 'match', agrees: { name: true } },
  { why: 'Japanese: the alphabetic group alone, upper case', a: { name: 'YAMADA^TAROU' }, b: { name: 'Yamada^Tarou=山田^太郎=やまだ^たろう', patientId: 'X9' }, verdict: 'match', agrees: { name: true } },
  { why: 'Japanese: ideographic written without the component separator', a: { name: '=山田太郎' }, b: { name: '=山田^太郎', patientId: 'X9' }, verdict: 'match', agrees: { name: true } },
  { why: 'Japanese: another person with the same family name', a: { name: 'Yamada^Tarou=山田^太郎' }, b: { name: 'Yamada^Hanako=山田^花子', patientId: 'X9' }, verdict: 'none', agrees: { name: false } },
  // Korean (SCSI2)
  { why: 'Korean: hangul group against the full name', a: { name: '==홍^길동' }, b: { name: 'Hong^Gildong=洪^吉洞=홍^길동', patientId: 'K2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Korean: romanised with a hyphen, given name first', a: { name: 'Gil-dong^Hong' }, b: { name: 'Hong^Gildong', patientId: 'K2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Korean: same name, different birth date', a: { name: 'Hong^Gildong=洪^吉洞=홍^길동' }, b: { name: 'Hong^Gildong=洪^吉洞=홍^길동', birthDate: '19710101', patientId: 'K2' }, verdict: 'look-alike', agrees: { name: true, birthDate: false } },
  // Chinese (SCSX1, SCSX2): traditional against simplified
  { why: 'Chinese: traditional and simplified ideographs, same romanisation', a: { name: 'Wang^XiaoDong=王^小東=' }, b: { name: 'Wang^XiaoDong=王^小东=', patientId: 'C2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Chinese: romanisation split into two words', a: { name: 'WANG^XIAO DONG' }, b: { name: 'Wang^XiaoDong', patientId: 'C2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Chinese: a different given name', a: { name: 'Wang^XiaoMing=王^小明' }, b: { name: 'Wang^XiaoDong=王^小東', patientId: 'C2' }, verdict: 'none', agrees: { name: false } },
  // Greek (SCSGREEK)
  { why: 'Greek: accents and final sigma', a: { name: 'Διονυσιος' }, b: { name: 'ΔΙΟΝΎΣΙΟΣ', patientId: 'G2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Greek: another name', a: { name: 'Διονυσιος' }, b: { name: 'Αθανασιος', patientId: 'G2' }, verdict: 'none', agrees: { name: false } },
  // Hebrew (SCSHBRW)
  { why: 'Hebrew: with and without vowel points', a: { name: 'שרון^דבורה' }, b: { name: 'שָׁרוֹן^דְּבוֹרָה', patientId: 'H2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Hebrew: components in the other order', a: { name: 'שרון^דבורה' }, b: { name: 'דבורה^שרון', patientId: 'H2' }, verdict: 'match', agrees: { name: true } },
  // Arabic (SCSARAB)
  { why: 'Arabic: with and without short-vowel marks', a: { name: 'قباني^لنزار' }, b: { name: 'قَبّاني^لنِزار', patientId: 'A2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Arabic: same name, other sex', a: { name: 'قباني^لنزار', sex: 'M' }, b: { name: 'قباني^لنزار', sex: 'F', patientId: 'A2' }, verdict: 'look-alike', agrees: { name: true, sex: false } },
  // Latin with diacritics (SCSFREN, SCSGERM)
  { why: 'French: accents dropped', a: { name: 'Buc^Jérôme' }, b: { name: 'BUC^JEROME', patientId: 'F2' }, verdict: 'match', agrees: { name: true } },
  { why: 'German: umlauts dropped', a: { name: 'Äneas^Rüdiger' }, b: { name: 'ANEAS^RUDIGER', patientId: 'D2' }, verdict: 'match', agrees: { name: true } },
  { why: 'German: umlauts written out', a: { name: 'Äneas^Rüdiger' }, b: { name: 'AENEAS^RUEDIGER', patientId: 'D2' }, verdict: 'match', agrees: { name: true } },
  { why: 'German: sharp s written out', a: { name: 'Großmann^Jürgen' }, b: { name: 'GROSSMANN^JURGEN', patientId: 'D2' }, verdict: 'match', agrees: { name: true } },
  { why: 'Scandinavian letters transliterated', a: { name: 'Ødegård^Sæther' }, b: { name: 'ODEGARD^SAETHER', patientId: 'N2' }, verdict: 'match', agrees: { name: true } },
  // Component order and empty components
  { why: 'component order swapped', a: { name: 'DOE^JANE' }, b: { name: 'JANE^DOE', patientId: 'Z2' }, verdict: 'match', agrees: { name: true } },
  { why: 'empty trailing components', a: { name: 'DOE^JANE^^^' }, b: { name: 'Doe^Jane', patientId: 'Z2' }, verdict: 'match', agrees: { name: true } },
  { why: 'empty middle component and spaces', a: { name: 'DOE^^JANE' }, b: { name: ' Doe ^ Jane ', patientId: 'Z2' }, verdict: 'match', agrees: { name: true } },
  { why: 'apostrophe kept or dropped', a: { name: "O'BRIEN^MARY" }, b: { name: 'OBRIEN^MARY', patientId: 'Z2' }, verdict: 'match', agrees: { name: true } },
  { why: 'an added middle name is another name (a person decides)', a: { name: 'DOE^JANE^ANN' }, b: { name: 'DOE^JANE', patientId: 'Z2' }, verdict: 'none', agrees: { name: false } },
  // Birth date and sex
  { why: 'same name, birth date differs: never a plain match', a: { name: 'DOE^JANE', birthDate: '19700101' }, b: { name: 'DOE^JANE', birthDate: '19700110', patientId: 'Z2' }, verdict: 'look-alike', agrees: { birthDate: false } },
  { why: 'same name, birth date missing on one side', a: { name: 'DOE^JANE', birthDate: '' }, b: { name: 'DOE^JANE', patientId: 'Z2' }, verdict: 'none', agrees: { birthDate: null } },
  { why: 'same name and birth date, sex differs', a: { name: 'DOE^JANE', sex: 'F' }, b: { name: 'DOE^JANE', sex: 'M', patientId: 'Z2' }, verdict: 'look-alike', agrees: { sex: false } },
  { why: 'same name and birth date, sex missing on one side', a: { name: 'DOE^JANE', sex: '' }, b: { name: 'DOE^JANE', patientId: 'Z2' }, verdict: 'match', agrees: { sex: null } },
  { why: 'different names, same birth date and sex', a: { name: 'DOE^JANE' }, b: { name: 'ROE^MARY', patientId: 'Z2' }, verdict: 'none', agrees: { name: false, birthDate: true } },
  // Patient ID and issuer
  { why: 'same ID from two issuers, different people', a: { name: 'DOE^JANE', issuer: 'HOSPITAL A' }, b: { name: 'ROE^MARY', issuer: 'HOSPITAL B', birthDate: '19650303' }, verdict: 'none', agrees: { patientId: null, issuer: null } },
  { why: 'same ID from two issuers, same person by name and birth date', a: { name: 'DOE^JANE', issuer: 'HOSPITAL A' }, b: { name: 'Doe^Jane', issuer: 'HOSPITAL B' }, verdict: 'match', agrees: { patientId: null, name: true } },
  { why: 'one issuer, two IDs: against', a: { name: 'DOE^JANE', issuer: 'HOSPITAL A', patientId: '1' }, b: { name: 'DOE^JANE', issuer: 'HOSPITAL A', patientId: '2' }, verdict: 'none', agrees: { patientId: false, issuer: true } },
  { why: 'same issuer and ID, name changed by marriage', a: { name: 'DOE^JANE', issuer: 'HOSPITAL A' }, b: { name: 'SMITH^JANE', issuer: 'HOSPITAL A', sex: 'F' }, verdict: 'match', agrees: { patientId: true, name: false } },
  { why: 'same ID without issuers, names differ', a: { name: 'DOE^JANE' }, b: { name: 'ROE^MARY' }, verdict: 'none', agrees: { patientId: null } },
  { why: 'Other Patient IDs citing the other ID', a: { name: 'DOE^JANE', patientId: 'A7', otherPatientIds: ['B9'] }, b: { name: 'SMITH^JANE', patientId: 'B9', otherPatientIds: [] }, verdict: 'match', agrees: { otherPatientIds: true } },
  { why: 'empty names never agree', a: { name: '' }, b: { name: '', patientId: 'Z2' }, verdict: 'none', agrees: { name: null } },
];

describe('identity matching rules', () => {
  it('has a table of at least thirty pairs', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of CASES) {
    it(`${c.why}: ${c.verdict}`, () => {
      const result = matchIdentities(identity(c.a), identity(c.b));
      expect(result.verdict).toBe(c.verdict);
      for (const [attribute, agrees] of Object.entries(c.agrees ?? {})) {
        expect(result.evidence.find((e) => e.attribute === attribute)?.agrees, attribute).toBe(agrees);
      }
      // Symmetric: the order the identities are given in changes nothing.
      expect(matchIdentities(identity(c.b), identity(c.a)).verdict).toBe(c.verdict);
    });
  }

  it('lays out every attribute with both values as received', () => {
    const result = matchIdentities(identity({ name: 'Buc^Jérôme', issuer: 'A' }), identity({ name: 'BUC^JEROME', patientId: 'Q', issuer: 'B' }));
    expect(result.evidence.map((e) => e.attribute)).toEqual(['name', 'birthDate', 'sex', 'patientId', 'issuer', 'otherPatientIds']);
    expect(result.evidence[0]?.values).toEqual(['Buc^Jérôme', 'BUC^JEROME']);
    expect(result.evidence[3]?.values).toEqual(['P1', 'Q']);
    expect(result.evidence.find((e) => e.attribute === 'otherPatientIds')?.note).toMatch(/not indexed/);
  });

  it('finds every match through a shared name spelling or issuer ID (the library compares only those pairs)', () => {
    let matches = 0;
    for (const c of CASES) {
      const a = identity(c.a);
      const b = identity(c.b);
      const shares = nameMatchKeys(a.name).some((key) => nameMatchKeys(b.name).includes(key)) ||
        (issuedIdKey(a) !== null && issuedIdKey(a) === issuedIdKey(b));
      // Other Patient IDs are not indexed, so the library never meets a match made by them alone.
      if (matchIdentities(a, b).verdict === 'match' && a.otherPatientIds === null) {
        matches += 1;
        expect(shares, c.why).toBe(true);
      }
      if (!shares) {
        expect(matchIdentities(a, b).evidence[0]?.agrees, c.why).not.toBe(true);
      }
    }
    expect(matches).toBeGreaterThan(15);
  });

  it('never calls a pair a match when the birth dates differ, whatever else agrees', () => {
    for (const c of CASES) {
      const a = identity(c.a);
      const b = { ...identity(c.b), birthDate: '20011231' };
      if (a.birthDate.trim() !== '') {
        expect(matchIdentities(a, b).verdict, c.why).not.toBe('match');
      }
    }
  });
});
