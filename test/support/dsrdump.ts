import { execFileSync } from 'node:child_process';

/** One content item as dcmtk's dsrdump prints it (one line, indented two spaces a level). */
export interface DsrdumpItem {
  depth: number;
  relationship: string;
  valueType: string;
  /** The concept name's meaning; empty when the item has no concept name. */
  concept: string;
  /** Everything after "=", as printed. */
  value: string;
  /** For a by-reference relationship: the referenced item's position. */
  referencedItem: string | null;
}

const LINE = /^( *)<(?:(contains|has properties|has obs context|has acq context|has concept mod|inferred from|selected from) )?(.*?)>(?: \{.*\})?$/;

/**
 * The content tree of an SR file in dsrdump's words: document header left out, long values printed
 * in full, referenced SOP instance and class UIDs printed, recoverable errors accepted (as a viewer
 * would) and values converted to UTF-8.
 */
export function dsrdumpItems(file: string): DsrdumpItem[] {
  const output = execFileSync('dsrdump', ['-q', '-Ph', '+Pl', '+Pu', '+Psu', '-Ee', '-Ec', '-Er', '-Ev', '+U8', file], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return output
    .split('\n')
    .filter((line) => line.trim().startsWith('<'))
    .map((line) => {
      const match = LINE.exec(line);
      if (!match) {
        throw new Error(`dsrdump line not understood: ${line}`);
      }
      const [, indent = '', relationship = '', body = ''] = match;
      const byReference = /^[0-9.]+$/.exec(body);
      if (byReference) {
        return { depth: indent.length / 2, relationship, valueType: 'BY-REFERENCE', concept: '', value: '', referencedItem: body };
      }
      const item = /^([A-Z0-9]+):(?:\(,,"(.*?)"\))?=(.*)$/s.exec(body);
      if (!item) {
        throw new Error(`dsrdump item not understood: ${body}`);
      }
      const [, valueType = '', concept = '', value = ''] = item;
      return { depth: indent.length / 2, relationship, valueType, concept, value, referencedItem: null };
    });
}

/** dsrdump's header lines ("Completion Flag : PARTIAL") as a map. */
export function dsrdumpHeader(file: string): Map<string, string> {
  const output = execFileSync('dsrdump', ['-q', '-Ee', '-Ec', '-Er', '-Ev', '+U8', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const header = new Map<string, string>();
  for (const line of output.split('\n')) {
    const match = /^([A-Za-z/ ]+?) +: (.*)$/.exec(line);
    if (match) {
      header.set(match[1] as string, match[2] as string);
    }
  }
  return header;
}
