import { serveImportWorker } from '../services/import/import-worker.ts';
import { main } from './main.ts';

// The same module is the import worker's entry: in a worker thread it imports and reports back.
if (!serveImportWorker()) {
  // A reader that stops early (`concord studies | head`) closes the pipe: the command still finishes
  // its work (an import is not cut short), writing nothing more, instead of dying on EPIPE.
  let stdoutOpen = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') {
      throw error;
    }
    stdoutOpen = false;
  });
  const code = await main(process.argv.slice(2), {
    out: (text) => {
      if (stdoutOpen) {
        process.stdout.write(`${text}\n`);
      }
    },
    err: (text) => process.stderr.write(`${text}\n`),
  });
  process.exitCode = code;
}
