/**
 * How a search query is cut into words. DICOM's separators (`^` between name components and
 * description words, `=` between name groups, `\` between values), spaces, control characters and
 * the punctuation the screen adds to a name ("DOE, JANE (山田 太郎)") all cut words, so "MAMA ROTINA",
 * "mama rotina", "MAMA^ROTINA" and "rotina" all find a study described "MAMA^ROTINA", and a name
 * copied from the worklist finds itself. Each word is then matched inside the stored text, which
 * keeps its separators; case and diacritics are folded by the index.
 */

// eslint-disable-next-line no-control-regex
const WORD_BREAKS = /[\^=\\,;()\u0000-\u001f\u007f-\u009f\s]+/u;

/** The words of a query, each to be found somewhere in a study's names, identifiers or descriptions. */
export function searchTerms(query: string): string[] {
  return [...new Set(query.split(WORD_BREAKS).filter(Boolean))];
}
