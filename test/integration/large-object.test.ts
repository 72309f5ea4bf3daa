import { readFileSync, truncateSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ImportSummary } from '../../shared/import/outcomes.ts';
import { concordJson } from '../support/cli.ts';
import { el, personName, seededUid, writePart10 } from '../support/hanging-dicom.ts';
import { startServe } from '../support/serve.ts';
import type { RunningHost } from '../support/serve.ts';
import { cleanupTempDirs, tempDir } from '../support/library.ts';

afterAll(cleanupTempDirs);

const FRAMES = 2048;
const SIDE = 1024;
const PIXEL_BYTES = FRAMES * SIDE * SIDE; // 2 GiB of 8-bit frames

/**
 * A 2 GiB multi-frame object, as large as a big tomosynthesis or whole-slide file, written sparse: its
 * header through dcmjs, then the Pixel Data element's header by hand and the file extended to its length.
 */
function writeHugeObject(folder: string): { path: string; size: number; sopInstanceUid: string } {
  const seed = 'large-object';
  const sopInstanceUid = seededUid(seed, 'instance');
  const path = join(folder, 'HUGE.dcm');
  writePart10(path, {
    '00080016': el('UI', '1.2.840.10008.5.1.4.1.1.7.2'),
    '00080018': el('UI', sopInstanceUid),
    '00080060': el('CS', 'OT'),
    '00100010': personName('Large^Object'),
    '00100020': el('LO', 'LARGE-1'),
    '0020000D': el('UI', seededUid(seed, 'study')),
    '0020000E': el('UI', seededUid(seed, 'series')),
    '00280002': el('US', 1),
    '00280004': el('CS', 'MONOCHROME2'),
    '00280008': el('IS', String(FRAMES)),
    '00280010': el('US', SIDE),
    '00280011': el('US', SIDE),
    '00280100': el('US', 8),
    '00280101': el('US', 8),
    '00280102': el('US', 7),
    '00280103': el('US', 0),
  });
  const pixelHeader = Buffer.alloc(12);
  pixelHeader.writeUInt16LE(0x7fe0, 0);
  pixelHeader.writeUInt16LE(0x0010, 2);
  pixelHeader.write('OB', 4, 'latin1');
  pixelHeader.writeUInt32LE(PIXEL_BYTES, 8);
  appendFileSync(path, pixelHeader);
  const headerSize = readFileSync(path).length;
  truncateSync(path, headerSize + PIXEL_BYTES);
  return { path, size: headerSize + PIXEL_BYTES, sopInstanceUid };
}

/** The peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const kilobytes = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) * 1024;
}

describe.runIf(process.platform === 'linux')('a 2 GiB object', () => {
  let host: RunningHost | null = null;
  afterAll(async () => {
    await host?.stop();
  });

  it('is served by the host as a stream, whole and by range, while the host stays under 300 MB', async () => {
    const media = tempDir();
    const library = tempDir();
    const huge = writeHugeObject(media);
    const summary = concordJson<ImportSummary>(['import', media, '--library', library]);
    expect(summary.counts.imported).toBe(1);

    host = await startServe(library);
    const pid = host.child.pid as number;
    const url = `${host.base}dicom/${huge.sopInstanceUid}`;
    const auth = { Authorization: `Bearer ${host.token}`, Host: `127.0.0.1:${host.port}` };

    // The last frame, by range: what a viewer asks of one slice.
    const frameStart = huge.size - SIDE * SIDE;
    const ranged = await fetch(url, { headers: { ...auth, Range: `bytes=${frameStart}-${huge.size - 1}` } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes ${frameStart}-${huge.size - 1}/${huge.size}`);
    expect((await ranged.arrayBuffer()).byteLength).toBe(SIDE * SIDE);

    // The whole object, read and counted as it arrives: 2 GiB through a host that never holds it.
    const whole = await fetch(url, { headers: auth });
    expect(whole.status).toBe(200);
    expect(Number(whole.headers.get('content-length'))).toBe(huge.size);
    let received = 0;
    for await (const chunk of whole.body as unknown as AsyncIterable<Uint8Array>) {
      received += chunk.byteLength;
    }
    expect(received).toBe(huge.size);
    expect(peakRss(pid)).toBeLessThan(300 * 1024 * 1024);
  }, 600_000);
});
