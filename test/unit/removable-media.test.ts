import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaWatcher, ejectCommand, findDicomVolumes, hasDicomPreamble, mountedVolumes } from '../../electron/services/media/removable-media.ts';
import type { DicomVolume } from '../../electron/services/media/removable-media.ts';
import { corpus, haveCorpus } from '../support/environment.ts';

// Fixture file systems laid out like each platform's mounts, with real DICOM from the corpus where
// present (a DICOMDIR and a Part 10 image) and look-alikes that are not DICOM.
let base: string;
let dicomdir: string;
let image: string;

function makeFile(path: string, content: Buffer | string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
}

function part10(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  copyFileSync(image, path);
}

function cdWithDicomdir(volume: string): void {
  mkdirSync(volume, { recursive: true });
  copyFileSync(dicomdir, join(volume, 'DICOMDIR'));
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'concord-media-'));
  if (haveCorpus()) {
    dicomdir = corpus('03-breast-patient-cd-mr-us-mimbcd', 'DICOMDIR');
    image = corpus('03-breast-patient-cd-mr-us-mimbcd', 'IMAGES', 'IM0');
  } else {
    // Without the corpus: a minimal Part 10 header is enough for a check that reads 132 bytes.
    dicomdir = join(base, 'made-DICOMDIR');
    image = join(base, 'made-image.dcm');
    const header = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), Buffer.alloc(64)]);
    writeFileSync(dicomdir, header);
    writeFileSync(image, header);
  }
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('the Part 10 preamble check', () => {
  it('knows DICOM by "DICM" at byte 128 and nothing else', () => {
    expect(hasDicomPreamble(image)).toBe(true);
    const elsewhere = join(base, 'dicm-at-0');
    makeFile(elsewhere, Buffer.concat([Buffer.from('DICM'), Buffer.alloc(200)]));
    expect(hasDicomPreamble(elsewhere)).toBe(false);
    const short = join(base, 'short');
    makeFile(short, Buffer.alloc(130));
    expect(hasDicomPreamble(short)).toBe(false);
    expect(hasDicomPreamble(join(base, 'absent'))).toBe(false);
  });
});

describe('DICOM volumes in mount folders, per platform', () => {
  it('Linux: /media/<user>/<label> and /run/media/<user>/<label>; a CD with a DICOMDIR, a USB stick with DICOM in a folder; photos and links ignored', () => {
    const root = join(base, 'linux');
    cdWithDicomdir(join(root, 'media', 'alice', 'MAMMO_CD'));
    part10(join(root, 'run', 'media', 'alice', 'USB STICK', 'PATIENT', 'STUDY', 'IM0001'));
    makeFile(join(root, 'media', 'alice', 'HOLIDAY', 'DCIM', 'IMG_0001.JPG'), Buffer.alloc(4000, 0xff));
    makeFile(join(root, 'media', 'alice', 'SETUP', 'autorun.inf'), '[autorun]\nopen=setup.exe\n');
    // DICOM too deep to count as "near the top" of a volume.
    part10(join(root, 'media', 'alice', 'DEEP', 'a', 'b', 'c', 'd', 'IM0'));
    // A link named like a volume, pointing at DICOM elsewhere, is not followed.
    cdWithDicomdir(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'media', 'alice', 'LINKED'));
    // Another user's media are not this user's.
    cdWithDicomdir(join(root, 'media', 'bob', 'BOBS_CD'));
    makeFile(join(root, 'etc', 'passwd'), 'root:x:0:0::/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/sh\nbob:x:1001:1001::/home/bob:/bin/sh\n');
    const found = findDicomVolumes({ platform: 'linux', username: 'alice', fileSystemRoot: root });
    expect(found).toEqual<DicomVolume[]>([
      { path: join(root, 'media', 'alice', 'MAMMO_CD'), label: 'MAMMO_CD', hasDicomdir: true },
      { path: join(root, 'run', 'media', 'alice', 'USB STICK'), label: 'USB STICK', hasDicomdir: false },
    ]);
  });

  it('Linux: a volume mounted straight under /media (older systems) is found too', () => {
    const root = join(base, 'linux-flat');
    cdWithDicomdir(join(root, 'media', 'cdrom0'));
    mkdirSync(join(root, 'media', 'usb'), { recursive: true });
    expect(findDicomVolumes({ platform: 'linux', username: 'alice', fileSystemRoot: root }).map((v) => v.label)).toEqual(['cdrom0']);
  });

  it('macOS: /Volumes/<label>; the boot volume (a link to /) and volumes without DICOM are ignored; a lower-case dicomdir counts', () => {
    const root = join(base, 'mac');
    mkdirSync(join(root, 'Volumes'), { recursive: true });
    symlinkSync(root, join(root, 'Volumes', 'Macintosh HD'));
    cdWithDicomdir(join(root, 'Volumes', 'BREAST MRI'));
    mkdirSync(join(root, 'Volumes', 'lowercase'), { recursive: true });
    copyFileSync(dicomdir, join(root, 'Volumes', 'lowercase', 'dicomdir'));
    makeFile(join(root, 'Volumes', 'Time Machine', 'Backups.backupdb', 'x'), 'not dicom');
    const found = findDicomVolumes({ platform: 'darwin', username: 'alice', fileSystemRoot: root });
    expect(found.map((v) => [v.label, v.hasDicomdir])).toEqual([
      ['BREAST MRI', true],
      ['lowercase', true],
    ]);
  });

  it('Windows: drive roots from the injected lister; the system drive is never offered', () => {
    const d = join(base, 'win', 'D');
    const e = join(base, 'win', 'E');
    part10(join(d, 'DICOM', 'PAT1', 'IM1'));
    makeFile(join(e, 'Documents', 'letter.txt'), 'hello');
    const volumes = mountedVolumes({ platform: 'win32', username: 'alice', listDrives: () => ['C:\\', d, e] });
    expect(volumes.map((v) => v.path)).toEqual([d, e]);
    expect(findDicomVolumes({ platform: 'win32', username: 'alice', listDrives: () => ['C:\\', d, e] })).toEqual([{ path: d, label: d, hasDicomdir: false }]);
  });
});

describe('noticing newly inserted media', () => {
  it('reports a DICOM volume once when it appears, not those present at start, and again after it is removed and reinserted', () => {
    const root = join(base, 'watch');
    cdWithDicomdir(join(root, 'media', 'alice', 'ALREADY_IN'));
    const reported: string[] = [];
    const watcher = new MediaWatcher({ platform: 'linux', username: 'alice', fileSystemRoot: root }, (volume) => reported.push(volume.label));
    watcher.prime();
    expect(watcher.poll()).toEqual([]);
    cdWithDicomdir(join(root, 'media', 'alice', 'NEW_CD'));
    mkdirSync(join(root, 'media', 'alice', 'EMPTY_USB'));
    expect(watcher.poll().map((v) => v.label)).toEqual(['NEW_CD']);
    expect(watcher.poll()).toEqual([]);
    rmSync(join(root, 'media', 'alice', 'NEW_CD'), { recursive: true });
    expect(watcher.poll()).toEqual([]);
    cdWithDicomdir(join(root, 'media', 'alice', 'NEW_CD'));
    watcher.poll();
    expect(reported).toEqual(['NEW_CD', 'NEW_CD']);
  });
});

describe('eject after import', () => {
  it('is a program with an argument array on each platform, never a shell line', () => {
    expect(ejectCommand('darwin', '/Volumes/BREAST MRI')).toEqual({ file: 'diskutil', args: ['eject', '/Volumes/BREAST MRI'] });
    expect(ejectCommand('linux', '/media/alice/CD; rm -rf ~')).toEqual({ file: 'gio', args: ['mount', '--eject', '/media/alice/CD; rm -rf ~'] });
    expect(ejectCommand('win32', 'E:\\')?.args.at(-1)).toBe("(New-Object -ComObject Shell.Application).Namespace(17).ParseName('E:').InvokeVerb('Eject')");
  });

  it('on Windows takes nothing but a drive letter into its script', () => {
    expect(ejectCommand('win32', "E:\\'); Remove-Item C:\\ -Recurse; ('")).toBeNull();
    expect(ejectCommand('win32', 'C:\\')).toBeNull();
    expect(ejectCommand('freebsd', '/mnt/cd')).toBeNull();
  });
});
