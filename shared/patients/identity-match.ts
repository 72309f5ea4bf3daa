/**
 * Whether two outside patient identities look like one person: pure rules, data in, evidence out.
 * Nothing here links anything; a person decides (IHE Import Reconciliation). The rules are
 * conservative: a name alone never makes a match, and two identities that agree on the name but
 * not on the birth date are at most a flagged look-alike, never a proposal.
 */

/** An outside identity as received (values exactly as stored, DICOM PN/DA/CS text). */
export interface PatientIdentity {
  patientId: string;
  issuer: string;
  name: string;
  birthDate: string;
  sex: string;
  /** Other Patient IDs (0010,1000/1002) when the index holds them; null when it does not. */
  otherPatientIds: readonly string[] | null;
}

export type EvidenceAttribute = 'name' | 'birthDate' | 'sex' | 'patientId' | 'issuer' | 'otherPatientIds';

export interface Evidence {
  attribute: EvidenceAttribute;
  /** The two values as received, in the order the identities were given. */
  values: [string, string];
  /** true: for one person; false: against; null: says nothing (absent, or not comparable). */
  agrees: boolean | null;
  /** Why, in words, when the bare values do not say it. */
  note: string;
}

/** match: propose a link; look-alike: the same name with a birth date or sex against, never proposed; none. */
export type MatchVerdict = 'match' | 'look-alike' | 'none';

export interface MatchResult {
  verdict: MatchVerdict;
  evidence: Evidence[];
}

// Letters whose accents, points and vowel marks are optional in writing: their combining marks are
// folded away. Kana keep theirs (a voiced mark makes another syllable).
const FOLDED_MARKS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}\p{Script=Hebrew}\p{Script=Arabic}])\p{M}+/gu;
// Letters that NFKD does not decompose, spelled the way they are commonly transliterated.
const LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ς: 'σ' };
// German umlauts written out, the other common spelling of the same name (Müller, Mueller).
const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue' };
// Marks inside a word that spellings keep or drop (O'Brien, Gil-dong, St. John).
const INNER_MARKS = /[-'’`.·‐‑]/gu;

function fold(text: string): string {
  let folded = text.normalize('NFKD').replace(FOLDED_MARKS, '$1').normalize('NFC');
  for (const [from, to] of Object.entries(LETTERS)) {
    folded = folded.split(from).join(to);
  }
  return folded;
}

/** The words of one PN group (components in any order, empty components left out), each spelling. */
function groupKeys(group: string): string[] {
  const lower = group.normalize('NFKC').toLowerCase();
  const spellings = new Set([lower]);
  const withUmlauts = lower.normalize('NFC').replace(/[äöü]/g, (c) => UMLAUTS[c] ?? c);
  spellings.add(withUmlauts);
  const keys = new Set<string>();
  for (const spelling of spellings) {
    const words = fold(spelling)
      .replace(INNER_MARKS, '')
      .split(/[\^\s,]+/u)
      .filter(Boolean);
    if (words.length === 0) {
      continue;
    }
    // Component order and splitting vary (DOE^JANE, JANE^DOE; 山田^太郎, 山田太郎): the sorted words,
    // and the words run together in order, are both the same name.
    keys.add(`w:${[...words].sort().join(' ')}`);
    keys.add(`c:${words.join('')}`);
  }
  return [...keys];
}

interface NameGroups {
  /** Keys of each non-empty group (alphabetic, ideographic, phonetic) of every value. */
  groups: { position: number; keys: string[] }[];
}

function nameGroups(value: string): NameGroups {
  const groups: NameGroups['groups'] = [];
  for (const one of value.split('\\')) {
    one.split('=').slice(0, 3).forEach((group, position) => {
      const keys = groupKeys(group);
      if (keys.length > 0) {
        groups.push({ position, keys });
      }
    });
  }
  return { groups };
}

/**
 * Every normalised spelling of a name's groups: two names agree (see matchIdentities) exactly when
 * they share one, so a caller can find the candidates for a match without comparing every pair.
 */
export function nameMatchKeys(name: string): string[] {
  return [...new Set(nameGroups(name).groups.flatMap((group) => group.keys))];
}

/** The key two identities share when one issuer gave both the same ID (the other way to agree). */
export function issuedIdKey(identity: Pick<PatientIdentity, 'patientId' | 'issuer'>): string | null {
  const id = identity.patientId.trim();
  const issuer = identity.issuer.trim();
  return id && issuer ? `id:${issuer}\u0000${id}` : null;
}

const GROUP_NAMES = ['alphabetic', 'ideographic', 'phonetic'];

function compareNames(a: string, b: string): Evidence {
  const values: [string, string] = [a, b];
  const left = nameGroups(a);
  const right = nameGroups(b);
  if (left.groups.length === 0 || right.groups.length === 0) {
    return { attribute: 'name', values, agrees: null, note: 'a name is empty' };
  }
  const same = (x: string[], y: string[]): boolean => x.some((key) => y.includes(key));
  const agreeing = left.groups.filter((g) => right.groups.some((h) => same(g.keys, h.keys)));
  if (agreeing.length === 0) {
    return { attribute: 'name', values, agrees: false, note: 'no group of the names is the same after normalisation' };
  }
  const differing = left.groups.filter((g) =>
    right.groups.some((h) => h.position === g.position && !same(g.keys, h.keys)),
  );
  const agreeingNames = [...new Set(agreeing.map((g) => GROUP_NAMES[g.position]))].join(', ');
  const note = differing.length > 0
    ? `${agreeingNames} the same; ${[...new Set(differing.map((g) => GROUP_NAMES[g.position]))].join(', ')} written differently`
    : `${agreeingNames} the same after normalisation (case, accents, component order, transliteration)`;
  return { attribute: 'name', values, agrees: true, note };
}

function compareCode(attribute: 'birthDate' | 'sex', a: string, b: string): Evidence {
  const values: [string, string] = [a, b];
  const x = a.trim().toUpperCase();
  const y = b.trim().toUpperCase();
  if (!x || !y) {
    return { attribute, values, agrees: null, note: 'not recorded in both' };
  }
  return x === y
    ? { attribute, values, agrees: true, note: 'the same' }
    : { attribute, values, agrees: false, note: 'different' };
}

function comparePatientIds(a: PatientIdentity, b: PatientIdentity): Evidence {
  const values: [string, string] = [a.patientId, b.patientId];
  const idA = a.patientId.trim();
  const idB = b.patientId.trim();
  const issuerA = a.issuer.trim();
  const issuerB = b.issuer.trim();
  if (!idA || !idB) {
    return { attribute: 'patientId', values, agrees: null, note: 'not recorded in both' };
  }
  if (issuerA && issuerA === issuerB) {
    return idA === idB
      ? { attribute: 'patientId', values, agrees: true, note: 'the same ID from the same issuer' }
      : { attribute: 'patientId', values, agrees: false, note: 'one issuer gave two IDs' };
  }
  if (idA === idB) {
    return {
      attribute: 'patientId', values, agrees: null,
      note: issuerA || issuerB ? 'the same ID from different issuers says nothing' : 'the same ID, but no issuer: another facility may use it',
    };
  }
  return { attribute: 'patientId', values, agrees: null, note: 'IDs from different (or unknown) issuers' };
}

function compareIssuers(a: string, b: string): Evidence {
  const values: [string, string] = [a, b];
  if (!a.trim() || !b.trim()) {
    return { attribute: 'issuer', values, agrees: null, note: 'not recorded in both' };
  }
  return a.trim() === b.trim()
    ? { attribute: 'issuer', values, agrees: true, note: 'the same issuer' }
    : { attribute: 'issuer', values, agrees: null, note: 'different issuers (facilities), as expected across media' };
}

function compareOtherIds(a: PatientIdentity, b: PatientIdentity): Evidence {
  const values: [string, string] = [(a.otherPatientIds ?? []).join('\\'), (b.otherPatientIds ?? []).join('\\')];
  if (a.otherPatientIds === null || b.otherPatientIds === null) {
    return { attribute: 'otherPatientIds', values, agrees: null, note: 'Other Patient IDs are not indexed' };
  }
  const cites = (x: PatientIdentity, y: PatientIdentity): boolean => !!y.patientId.trim() && (x.otherPatientIds ?? []).includes(y.patientId.trim());
  return cites(a, b) || cites(b, a)
    ? { attribute: 'otherPatientIds', values, agrees: true, note: "one lists the other's ID among its other IDs" }
    : { attribute: 'otherPatientIds', values, agrees: null, note: 'neither lists the other' };
}

/** Compares two identities attribute by attribute and says whether a link should be proposed. */
export function matchIdentities(a: PatientIdentity, b: PatientIdentity): MatchResult {
  const name = compareNames(a.name, b.name);
  const birthDate = compareCode('birthDate', a.birthDate, b.birthDate);
  const sex = compareCode('sex', a.sex, b.sex);
  const patientId = comparePatientIds(a, b);
  const issuer = compareIssuers(a.issuer, b.issuer);
  const otherIds = compareOtherIds(a, b);
  const evidence = [name, birthDate, sex, patientId, issuer, otherIds];
  const nothingAgainst = evidence.every((e) => e.agrees !== false || e.attribute === 'name');
  // The name, or failing it (a name changed by marriage) the same issuer's ID, says who it is.
  const identifies = name.agrees === true || patientId.agrees === true || otherIds.agrees === true;
  let verdict: MatchVerdict = 'none';
  if (birthDate.agrees === true && nothingAgainst && identifies) {
    verdict = 'match';
  } else if (name.agrees === true && (birthDate.agrees === false || sex.agrees === false)) {
    verdict = 'look-alike';
  }
  return { verdict, evidence };
}
