import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BackupError } from '../services/library/backup-copy.ts';
import { backupLibrary } from '../services/library/backup.ts';
import { restoreLibrary } from '../services/library/restore.ts';
import { resolveLibraryDirectory } from '../services/library/paths.ts';
import type { Output } from './common.ts';
import { UsageError } from './common.ts';
import { BACKUP_HELP, RESTORE_HELP } from './help.ts';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A refusal: its JSON on --json, its message on standard error, exit status 1. */
function refused(error: unknown, json: boolean, context: Record<string, string>, io: Output): number {
  if (!(error instanceof BackupError)) {
    throw error;
  }
  if (json) {
    io.out(JSON.stringify({ error: { code: error.code, message: error.message }, ...context }));
  }
  io.err(`concord: ${error.message}`);
  return 1;
}

export async function backupCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      to: { type: 'string' },
      library: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(BACKUP_HELP);
    return 0;
  }
  if (!values.to) {
    throw new UsageError('backup needs --to DIR, the backup folder');
  }
  const libraryRoot = resolveLibraryDirectory(values.library);
  const folder = resolve(values.to);
  let report;
  try {
    report = await backupLibrary(libraryRoot, folder);
  } catch (error) {
    return refused(error, values.json, { library: libraryRoot, backup: folder }, io);
  }
  if (values.json) {
    io.out(JSON.stringify(report));
    return 0;
  }
  const { contents, objects } = report;
  io.out(`Backed up ${report.library} to ${report.backup}: the library as it was at ${report.snapshotAt}`);
  io.out(`  ${contents.studies} studies, ${contents.instances} instances, ${contents.signedReports} signed reports; index ${megabytes(report.indexBytes)}`);
  io.out(
    `  objects: ${objects.copied} copied (${megabytes(objects.bytesCopied)}), ${objects.alreadyPresent} already in the backup` +
      `${objects.removed > 0 ? `, ${objects.removed} no longer in the library removed` : ''}`,
  );
  if (report.importsRunning > 0) {
    io.out(`  an import was running: the backup holds what it had committed (recorded there as interrupted)`);
  }
  io.out(`  took ${(report.durationMs / 1000).toFixed(1)} s`);
  return 0;
}

export async function restoreCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      library: { type: 'string' },
      force: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(RESTORE_HELP);
    return 0;
  }
  if (!values.from) {
    throw new UsageError('restore needs --from DIR, a folder made by concord backup');
  }
  const libraryRoot = resolveLibraryDirectory(values.library);
  const folder = resolve(values.from);
  let report;
  try {
    report = await restoreLibrary(folder, libraryRoot, { force: values.force });
  } catch (error) {
    return refused(error, values.json, { library: libraryRoot, backup: folder }, io);
  }
  if (values.json) {
    io.out(JSON.stringify(report));
  } else {
    const { contents, objects } = report;
    io.out(`Restored ${report.backup} into ${report.library}`);
    io.out(`  ${contents.studies} studies, ${contents.instances} instances, ${contents.signedReports} signed reports`);
    io.out(`  objects: ${objects.copied} copied (${megabytes(objects.bytesCopied)}), ${objects.alreadyPresent} already in the library`);
    for (const signature of report.signaturesLost) {
      io.out(`  lost (--force): the ${signature.kind} on study ${signature.studyInstanceUid} signed by ${signature.signedBy} at ${signature.signedAt}`);
    }
    if (report.setAside) {
      io.out(
        `  set aside in ${report.setAside.folder}: ${report.setAside.index ? 'the previous index' : 'no index'}` +
          `${report.setAside.objects > 0 ? `, ${report.setAside.objects} stored objects the backup does not list (import that folder's objects to take them in again)` : ''}`,
      );
    }
    io.out(`  verify: ${report.verify.ok ? 'OK' : 'PROBLEMS FOUND (run concord verify)'}`);
    io.out(`  took ${(report.durationMs / 1000).toFixed(1)} s`);
  }
  return report.verify.ok ? 0 : 1;
}
