import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the real-data tiers find their inputs. On a developer's machine a missing input skips its
 * tier with a message naming it; under CI (CI=true) a missing input fails the run.
 */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const corpusRoot = resolve(process.env.DICOM_CORPUS ?? join(repoRoot, '..', 'shared', 'corpus'));
export const pydicomTestFiles = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
export const underCi = process.env.CI === 'true' || process.env.CI === '1';

function need(what: string, present: boolean, howToGet: string): boolean {
  if (present) {
    return true;
  }
  const message = `${what} is missing (${howToGet})`;
  if (underCi) {
    throw new Error(`CI requires ${message}`);
  }
  process.stderr.write(`SKIPPED: ${message}; the tests that need it are skipped on this machine.\n`);
  return false;
}

export function haveCorpus(): boolean {
  return need(`The DICOM corpus at ${corpusRoot}`, existsSync(join(corpusRoot, 'README.md')), 'set DICOM_CORPUS or place it beside the project');
}

export function havePydicomFiles(): boolean {
  return need(`pydicom's test files at ${pydicomTestFiles}`, existsSync(pydicomTestFiles), 'apt-get install python3-pydicom');
}

export function haveTool(tool: string, debianPackage: string): boolean {
  let present = true;
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    present = false;
  }
  return need(`The reference tool ${tool}`, present, `apt-get install ${debianPackage}`);
}

export function corpus(...parts: string[]): string {
  return join(corpusRoot, ...parts);
}
