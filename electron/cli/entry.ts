import { serveImportWorker } from '../services/import/import-worker.ts';
import { main } from './main.ts';

// The same module is the import worker's entry: in a worker thread it imports and reports back.
if (!serveImportWorker()) {
  const code = await main(process.argv.slice(2), {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
  });
  process.exitCode = code;
}
