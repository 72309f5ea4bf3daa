// npm run bench:import: import time against a plain recursive copy of the same media, in one run.
// Builds (once) a media folder of at least 1,000 instances and 300 MB from the corpus, each copy with
// new UIDs, then alternates: `cp -r` + sync; the hash-and-copy floor (hash-copy-floor.ts: read, hash
// and write each file, nothing else) + sync; and `concord import` (start-up included) + sync.
// Every round writes into new folders, removed only after the last round: on ext4 without a journal,
// creating files right after thousands were deleted nearby makes the inode allocator skip the
// recently freed ones one by one, which would slow both sides by the bench's own clean-up.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildMedia } from '../support/media-builder.ts';
import { defaultReaderCount } from '../../electron/services/import/reader-pool.ts';
import { corpusRoot, repoRoot } from '../support/environment.ts';

const MIN_INSTANCES = 1000;
const MIN_BYTES = 300 * 1024 * 1024;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const work = join(repoRoot, '.bench');
const media = join(work, 'media');
const stamp = join(work, 'media.json');

if (!existsSync(join(corpusRoot, 'README.md'))) {
  console.error(`bench:import needs the DICOM corpus at ${corpusRoot} (set DICOM_CORPUS).`);
  process.exit(1);
}

interface MediaInfo { files: number; dicomFiles: number; bytes: number }

function ensureMedia(): MediaInfo {
  if (existsSync(stamp)) {
    const info = JSON.parse(readFileSync(stamp, 'utf8')) as MediaInfo;
    if (info.dicomFiles >= MIN_INSTANCES && info.bytes >= MIN_BYTES && existsSync(media)) {
      return info;
    }
  }
  rmSync(work, { recursive: true, force: true });
  const probe = buildMedia(corpusRoot, join(work, 'probe'), 1);
  rmSync(join(work, 'probe'), { recursive: true, force: true });
  const copies = Math.max(Math.ceil(MIN_INSTANCES / probe.dicomFiles), Math.ceil(MIN_BYTES / probe.bytes));
  console.log(`building media: ${copies} copies of the corpus with new UIDs ...`);
  const built = buildMedia(corpusRoot, media, copies, 'bench');
  const info = { files: built.files, dicomFiles: built.dicomFiles, bytes: built.bytes };
  writeFileSync(stamp, JSON.stringify(info));
  return info;
}

function seconds(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const outputs = join(work, 'outputs');

function timedCopy(round: number): number {
  const target = join(outputs, `copy-${round}`);
  execFileSync('sync');
  const start = process.hrtime.bigint();
  execFileSync('cp', ['-r', media, target]);
  execFileSync('sync');
  return seconds(start);
}

/** On as many threads as the importer has readers. */
function timedFloor(round: number): number {
  const target = join(outputs, `floor-${round}`);
  const threads = defaultReaderCount();
  execFileSync('sync');
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, [join(repoRoot, 'test', 'bench', 'hash-copy-floor.ts'), media, target, String(threads)]);
  execFileSync('sync');
  return seconds(start);
}

function timedImport(round: number): { seconds: number; imported: number; peakRssBytes: number } {
  const library = join(outputs, `library-${round}`);
  execFileSync('sync');
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [join(repoRoot, 'bin', 'concord.mjs'), 'import', media, '--library', library, '--json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  execFileSync('sync');
  const elapsed = seconds(start);
  if (result.status !== 0) {
    throw new Error(`import failed: ${result.stderr}`);
  }
  const summary = JSON.parse(result.stdout) as { counts: { imported: number }; peakRssBytes: number };
  return { seconds: elapsed, imported: summary.counts.imported, peakRssBytes: summary.peakRssBytes };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const info = ensureMedia();
const mb = info.bytes / 1024 / 1024;
console.log(`media: ${info.files} files, ${info.dicomFiles} DICOM instances, ${mb.toFixed(0)} MB; ${RUNS} runs`);
rmSync(outputs, { recursive: true, force: true });
mkdirSync(outputs, { recursive: true });
// One untimed round first, so both sides start with the media in the page cache.
timedCopy(0);
timedImport(0);
const ratios: number[] = [];
const floorRatios: number[] = [];
const imports: number[] = [];
let peak = 0;
let imported = 0;
for (let run = 1; run <= RUNS; run += 1) {
  const copy = timedCopy(run);
  const floor = timedFloor(run);
  const result = timedImport(run);
  imported = result.imported;
  peak = Math.max(peak, result.peakRssBytes);
  ratios.push(result.seconds / copy);
  floorRatios.push(floor / copy);
  imports.push(result.seconds);
  console.log(
    `run ${run}: copy ${copy.toFixed(2)} s, hash-and-copy floor ${floor.toFixed(2)} s, import ${result.seconds.toFixed(2)} s, ` +
      `ratio ${(result.seconds / copy).toFixed(2)} (floor ${(floor / copy).toFixed(2)}), ` +
      `${result.imported} imported, peak ${(result.peakRssBytes / 1024 / 1024).toFixed(0)} MB`,
  );
}
rmSync(outputs, { recursive: true, force: true });
const importSeconds = median(imports);
console.log(
  `import: ${(imported / importSeconds).toFixed(0)} instances/s, ${(mb / importSeconds).toFixed(1)} MB/s, ` +
    `median import/copy ratio ${median(ratios).toFixed(2)} (target <= 1.5; hash-and-copy floor/copy ${median(floorRatios).toFixed(2)}), ` +
    `peak memory ${(peak / 1024 / 1024).toFixed(0)} MB (target < 300)`,
);
