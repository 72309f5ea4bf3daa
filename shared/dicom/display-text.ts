/**
 * Header text as a reader expects to see it. DICOM separates the parts of a value with `^` (person
 * name components, and often description words) and `=` (person name groups); a reading room shows
 * words with spaces. These functions only format: stored values stay exactly as received.
 */

// Tabs and line breaks become spaces; every other control character (bells, terminal escapes) is dropped.
const SPACE_LIKE_CONTROLS = /[\t\n\v\f\r]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Bidirectional formatting characters (marks, embeddings, overrides, isolates): in untrusted text they
 * reorder what is shown around them ("BIDI\u202Egnp.exe" reads as "BIDIexe.png").
 */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Header text for display: control characters (bells, terminal escapes, bidi overrides) shown as nothing. */
export function plainText(value: string): string {
  return value.replace(SPACE_LIKE_CONTROLS, ' ').replace(CONTROLS, '').replace(BIDI_CONTROLS, '');
}

function words(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Description-like text (study, series, protocol): `^` shown as a space, runs of spaces as one. */
export function formatHeaderText(value: string): string {
  return words(plainText(value).replace(/\^/g, ' '));
}

function components(group: string): string[] {
  return group.split('^').map(words);
}

/** Alphabetic group: "FAMILY, PREFIX GIVEN MIDDLE, SUFFIX", leaving out what is empty. */
function alphabeticGroup(group: string): string {
  const [family = '', given = '', middle = '', prefix = '', ...suffixes] = components(group);
  const suffix = suffixes.filter(Boolean).join(' ');
  const forenames = [prefix, given, middle].filter(Boolean).join(' ');
  const name = family && forenames ? `${family}, ${forenames}` : family || forenames;
  return name && suffix ? `${name}, ${suffix}` : name || suffix;
}

/** Ideographic and phonetic groups: family name first, components apart by a space, no comma. */
function otherGroup(group: string): string {
  return components(group).filter(Boolean).join(' ');
}

function formatOneName(value: string, allGroups: boolean): string {
  const groups = value.split('=');
  if (groups.length > 3) {
    // Not a person name's structure: show all of it rather than guess which part is the name.
    return formatHeaderText(value);
  }
  const [alphabetic = '', ideographic = '', phonetic = ''] = groups;
  const shown = [alphabeticGroup(alphabetic), otherGroup(ideographic), otherGroup(phonetic)].filter(Boolean);
  const [name = '', ...others] = shown;
  const alternatives = (allGroups ? others : others.slice(0, 1)).filter((alternative) => alternative !== name);
  return alternatives.length > 0 ? `${name} (${alternatives.join('; ')})` : name;
}

/**
 * A DICOM person name (PN) for display.
 *
 * - Alphabetic group: "FAMILY, PREFIX GIVEN MIDDLE, SUFFIX" ("DOE^JANE^A" is "DOE, JANE A"); empty
 *   components leave no stray comma or space ("DOE^^^^MD" is "DOE, MD").
 * - Ideographic and phonetic groups: components in their stored order with spaces ("山田 太郎").
 * - The name shown is the first group that is not empty (alphabetic, ideographic, phonetic); the next
 *   one that is not empty follows in parentheses: "Yamada, Tarou (山田 太郎)".
 * - More than three groups is not a person name's structure: the value is shown whole as text.
 * - Several values (`\`) are shown apart by "; ".
 * - `allGroups` shows every group that is not empty, for documents that identify the patient
 *   (a report): "Hong, Gildong (洪 吉洞; 홍 길동)".
 */
export function formatPersonName(value: string, options: { allGroups?: boolean } = {}): string {
  return plainText(value)
    .split('\\')
    .map((name) => formatOneName(name, options.allGroups ?? false))
    .filter(Boolean)
    .join('; ');
}
