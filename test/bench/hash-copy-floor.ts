// The floor for any importer that keeps the original bytes and a content hash: read each file whole,
// SHA-256 it and write it under a new name, on as many threads as the importer's readers; no parsing,
// no index, and no fsync per file (the sync after it, as after the copy, makes it durable). bench:import times it beside the plain copy, so its figures show how much of
// the import time is this inherent work and how much is Concord's own.
// Usage: node test/bench/hash-copy-floor.ts <source folder> <new output folder> <threads>
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, isMainThread, workerData } from 'node:worker_threads';

interface Share { files: string[]; output: string; thread: number }

function listFiles(folder: string, into: string[] = []): string[] {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      listFiles(path, into);
    } else if (entry.isFile()) {
      into.push(path);
    }
  }
  return into;
}

function copyShare({ files, output, thread }: Share): void {
  files.forEach((file, index) => {
    const bytes = readFileSync(file);
    createHash('sha256').update(bytes).digest('hex');
    const fd = openSync(join(output, `${thread}-${index}`), 'wx', 0o644);
    try {
      writeSync(fd, bytes);
    } finally {
      closeSync(fd);
    }
  });
}

if (isMainThread) {
  const [source, output, threadArgument] = process.argv.slice(2);
  const threads = Number(threadArgument);
  if (!source || !output || !(threads >= 1)) {
    console.error('usage: hash-copy-floor.ts <source folder> <new output folder> <threads>');
    process.exit(2);
  }
  const files = listFiles(source);
  mkdirSync(output, { recursive: true });
  const shares = Array.from({ length: threads }, (_, thread) => ({
    files: files.filter((_, i) => i % threads === thread),
    output,
    thread,
  }));
  await Promise.all(
    shares.map(
      (share) =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(new URL(import.meta.url), { workerData: share });
          worker.on('error', reject);
          worker.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`floor thread exited with ${code}`))));
        }),
    ),
  );
} else {
  copyShare(workerData as Share);
}
