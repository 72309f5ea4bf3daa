import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FACTORY_PROTOCOLS } from '../../shared/hanging/protocols/index.ts';
import { concord, concordJson } from '../support/cli.ts';
import { userProtocol } from '../support/hanging-protocol.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

describe('concord hang: arguments and errors (built command line)', () => {
  const library = tempDir();

  it('is listed in the help, with its own help', () => {
    const main = concord(['help']);
    expect(main.stdout).toMatch(/^ {2}hang <uid> /m);
    expect(main.stdout).toMatch(/^ {2}protocols /m);
    const help = concord(['hang', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: concord hang <Study Instance UID>');
    expect(concord(['help', 'protocols']).stdout).toContain('concord protocols import <file.json>');
  });

  it('refuses a missing or malformed UID, and a stage number that is not a whole number from 1, as usage errors', () => {
    for (const args of [[], ['x.y'], ['1.2.3', '4.5.6'], ['1.2.3', '--stage', '0'], ['1.2.3', '--stage', 'two'], ['1.2.3', '--stage', '1.5'],
      ['1.2.3', '--prior', 'yesterday'], ['1.2.3', '--protocol', 'Not An Id']]) {
      const result = concord(['hang', ...args, '--library', library]);
      expect({ args, status: result.status }).toEqual({ args, status: 2 });
      expect(result.stderr).toContain('Usage: concord hang');
    }
  });

  it('says so, with exit status 1, when the library has no such study', () => {
    const result = concord(['hang', '1.2.3.4', '--library', library]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No study 1.2.3.4 in the library');
    const json = concord(['hang', '1.2.3.4', '--library', library, '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'not-found' } });
  });
});

describe('concord protocols: user protocols live in the library (built command line)', () => {
  it('imports, lists, exports and deletes, each run a new process', () => {
    const library = tempDir();
    const file = join(tempDir(), 'cc-second-look.json');
    const protocol = userProtocol('cc-second-look', 'CC second look');
    writeFileSync(file, JSON.stringify(protocol));

    const imported = concordJson<{ protocol: unknown }>(['protocols', 'import', file, '--library', library]);
    expect(imported.protocol).toEqual(protocol);
    const listed = concordJson<{ protocols: { id: string; level: string }[] }>(['protocols', '--library', library]);
    expect(listed.protocols.map((p) => p.id)).toEqual([...FACTORY_PROTOCOLS.map((p) => p.id), 'cc-second-look']);
    const text = concord(['protocols', '--library', library]);
    expect(text.stdout).toMatch(/user\s+cc-second-look\s+CC second look\s+\(1 stage\)/);

    const exported = concord(['protocols', 'export', 'cc-second-look', '--library', library]);
    expect(exported.status).toBe(0);
    expect(JSON.parse(exported.stdout)).toEqual(protocol);

    // A factory-level definition, a broken file and an unknown id are refused with exit status 1.
    const factoryLevel = join(tempDir(), 'factory.json');
    writeFileSync(factoryLevel, JSON.stringify({ ...protocol, level: 'factory' }));
    const refused = concord(['protocols', 'import', factoryLevel, '--library', library]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('level "user"');
    const broken = join(tempDir(), 'broken.json');
    writeFileSync(broken, '{"id": ');
    expect(concord(['protocols', 'import', broken, '--library', library]).status).toBe(1);
    const invalid = join(tempDir(), 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ ...protocol, stages: [] }));
    const invalidRun = concord(['protocols', 'import', invalid, '--library', library]);
    expect(invalidRun.status).toBe(1);
    expect(invalidRun.stderr).toContain('stages');
    expect(concord(['protocols', 'export', 'no-such', '--library', library]).status).toBe(1);
    // Factory protocols export as they ship, and cannot be deleted.
    const factory = FACTORY_PROTOCOLS[0];
    expect(factory).toBeDefined();
    expect(JSON.parse(concord(['protocols', 'export', factory?.id ?? '', '--library', library]).stdout)).toEqual(factory);
    const undeletable = concord(['protocols', 'delete', factory?.id ?? '', '--library', library]);
    expect(undeletable.status).toBe(1);
    expect(undeletable.stderr).toContain('factory protocol');
    expect(concord(['protocols', 'export', '--library', library]).status).toBe(2);

    expect(concordJson<{ deleted: string }>(['protocols', 'delete', 'cc-second-look', '--library', library])).toMatchObject({ deleted: 'cc-second-look' });
    expect(concord(['protocols', 'delete', 'cc-second-look', '--library', library]).status).toBe(1);
    expect(concordJson<{ protocols: { level: string }[] }>(['protocols', '--library', library]).protocols.filter((p) => p.level === 'user')).toEqual([]);
  });
});
