import { BIDI_CONTROLS } from '../../shared/dicom/display-text.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ImportProgress, ImportSummary } from '../../shared/import/outcomes.ts';
import { FILE_OUTCOMES } from '../../shared/import/outcomes.ts';
import { resolveLibraryDirectory } from '../services/library/paths.ts';
import { listStudies } from '../services/library/studies.ts';
import { verifyLibrary } from '../services/library/verify.ts';
import { FilingError, fileInstance, listUnfiled } from '../services/library/unfiled.ts';
import { ImportJobError, startImportJob } from '../services/import/import-worker.ts';
import { isDiskFull } from '../services/library/write-refusals.ts';
import { ImportSourceError, checkImportSource } from '../services/import/source-check.ts';
import { surveySource } from '../services/import/source-survey.ts';
import { judgeSource } from '../../shared/import/source-survey.ts';
import {
  CONCORDANCE_HELP, FILE_HELP, HANG_HELP, IMPORT_HELP, MAIN_HELP, PATIENTS_HELP, PROTOCOLS_HELP, READERS_HELP, RECONCILE_HELP, REPORTS_HELP,
  REPORT_HELP, SERVE_HELP, STUDIES_HELP, UNFILED_HELP, VERIFY_HELP,
} from './help.ts';
import { BACKUP_HELP, RESTORE_HELP } from './help.ts';
import { patientsCommand, reconcileCommand } from './reconcile.ts';

import type { Output } from './common.ts';
import { UsageError, withLibrary } from './common.ts';

/** Exit statuses of `concord import` (documented in its --help). */
const EXIT_CANNOT_RUN = 1;
const EXIT_NO_DICOM = 3;
const EXIT_CANCELLED = 130;

const HELPS: Record<string, string> = {
  import: IMPORT_HELP,
  studies: STUDIES_HELP,
  verify: VERIFY_HELP,
  serve: SERVE_HELP,
  patients: PATIENTS_HELP,
  reconcile: RECONCILE_HELP,
  unfiled: UNFILED_HELP,
  file: FILE_HELP,
  hang: HANG_HELP,
  protocols: PROTOCOLS_HELP,
  reports: REPORTS_HELP,
  report: REPORT_HELP,
  readers: READERS_HELP,
  concordance: CONCORDANCE_HELP,
  backup: BACKUP_HELP,
  restore: RESTORE_HELP,
};

/** Text from DICOM headers is untrusted: strip terminal control and bidi characters before printing it. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?').replace(BIDI_CONTROLS, '');
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

function printSummary(summary: ImportSummary, io: Output): void {
  const status = summary.status === 'no-dicom' ? 'no DICOM found' : summary.status;
  io.out(`Import of ${plain(summary.source)}: ${status}${summary.statusReason ? ` (${plain(summary.statusReason)})` : ''}`);
  io.out(`  ${summary.filesSeen} files seen, ${formatBytes(summary.bytesImported)} copied in ${(summary.durationMs / 1000).toFixed(1)} s`);
  for (const outcome of FILE_OUTCOMES) {
    if (summary.counts[outcome] > 0) {
      io.out(`  ${outcome.padEnd(20)} ${summary.counts[outcome]}`);
    }
  }
  if (summary.studies.length > 0) {
    io.out('Studies:');
    for (const study of summary.studies) {
      io.out(
        `  ${plain(study.patientName) || '(no name)'}  ID ${plain(study.patientId) || '-'}  ${study.studyDate || '(no date)'}  ` +
          `${plain(study.studyDescription)}  [${study.modalities.join(',')}] ${study.instances} instances`,
      );
    }
  }
  if (summary.nonImageInstances.length > 0) {
    io.out(`Imported but not displayed by Concord (${summary.nonImageInstances.length}):`);
    for (const record of summary.nonImageInstances) {
      io.out(`  ${plain(record.path)}: ${record.objectKind} (${record.sopClassUid})`);
    }
  }
  if (summary.conflicts.length > 0) {
    io.out(`Conflicts (${summary.conflicts.length}):`);
    for (const record of summary.conflicts) {
      io.out(`  ${plain(record.path)}: ${plain(record.reason ?? '')}`);
    }
  }
  if (summary.quirked.length > 0) {
    io.out(`Read through quirks (${summary.quirked.length}):`);
    for (const record of summary.quirked) {
      for (const note of record.notes) {
        io.out(`  ${plain(record.path)}: ${record.outcome}: ${note.quirk}: ${plain(note.detail)}`);
      }
    }
  }
  if (summary.unfiled.length > 0) {
    io.out(`Unfiled: stored, waiting to be filed into a study (${summary.unfiled.length}; see 'concord unfiled'):`);
    for (const record of summary.unfiled) {
      io.out(`  ${plain(record.path)}: ${plain(record.reason ?? '')}`);
    }
  }
  if (summary.problems.length > 0) {
    io.out(`Problems (${summary.problems.length}):`);
    for (const record of summary.problems) {
      io.out(`  ${plain(record.path)}: ${record.outcome}: ${plain(record.reason ?? '')}`);
    }
  }
}

/** A whole number of at least `minimum` from the environment; unset, empty or anything else is ignored. */
function integerFromEnv(name: string, minimum: number): number | undefined {
  const text = process.env[name]?.trim();
  const value = text ? Number(text) : Number.NaN;
  return Number.isInteger(value) && value >= minimum ? value : undefined;
}

async function importCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      json: { type: 'boolean', default: false },
      progress: { type: 'boolean', default: false },
      yes: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError('import needs exactly one path');
  }
  const libraryRoot = resolveLibraryDirectory(values.library);
  // From a shell, a relative path means the shell's current folder, as for cp or ls.
  const source = resolve(positionals[0] as string);
  const refuse = (error: ImportSourceError): number => {
    if (values.json) {
      io.out(JSON.stringify({ error: { code: error.code, message: error.message, path: error.path }, library: libraryRoot }));
    }
    io.err(`concord: ${error.message}`);
    return EXIT_CANNOT_RUN;
  };
  try {
    checkImportSource(source);
  } catch (error) {
    if (error instanceof ImportSourceError) {
      return refuse(error);
    }
    throw error;
  }
  if (!values.yes) {
    const judged = judgeSource(surveySource(source));
    if (judged.verdict === 'ask') {
      if (values.json) {
        io.out(JSON.stringify({ error: { code: 'source-not-medium', message: judged.question, path: source, reasons: judged.reasons }, library: libraryRoot }));
      }
      io.err(`concord: ${plain(judged.question)} Nothing was imported; run again with --yes to import it.`);
      return EXIT_CANNOT_RUN;
    }
  }
  const onProgress = (progress: ImportProgress): void => {
    if (values.progress) {
      process.stderr.write(`${JSON.stringify(progress)}\n`);
    } else if (!values.json && process.stderr.isTTY) {
      const left = progress.secondsLeft === null ? '' : `, ${Math.ceil(progress.secondsLeft)} s left`;
      process.stderr.write(
        `\r${progress.filesProcessed}/${progress.filesFound} files, ${progress.instancesImported} imported, ` +
          `${formatBytes(progress.bytesProcessed)} at ${formatBytes(progress.bytesPerSecond)}/s${left}   `,
      );
    }
  };
  // The import runs in a worker, as in the desktop app and the browser host: the same code path, and
  // a thread whose heap can be held to the import's memory budget (thread-limits.ts).
  const job = startImportJob(
    new URL('./concord.mjs', import.meta.url),
    {
      libraryRoot,
      source,
      crashAt: process.env.CONCORD_TEST_CRASH_AT,
      batchFiles: integerFromEnv('CONCORD_IMPORT_BATCH_FILES', 1),
      readers: integerFromEnv('CONCORD_IMPORT_READERS', 0),
    },
    onProgress,
  );
  const cancel = (): void => job.cancel();
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  let summary: ImportSummary;
  try {
    summary = await job.result;
  } catch (error) {
    // The source went away between the check and the start (a disc ejected).
    if (error instanceof ImportSourceError) {
      return refuse(error);
    }
    // The library refused before any file was read (read-only, damaged, full, another import running):
    // `--json` still answers in JSON.
    if (error instanceof ImportJobError) {
      const code = error.kind === 'LibraryReadOnlyError' ? 'read-only' : isDiskFull(error) ? 'disk-full' : (error.code ?? error.kind);
      if (values.json) {
        io.out(JSON.stringify({ error: { code, message: error.message }, library: libraryRoot }));
      }
      io.err(`concord: ${isDiskFull(error) ? `disk full: the library at ${libraryRoot} cannot be written (${error.message})` : error.message}`);
      return EXIT_CANNOT_RUN;
    }
    throw error;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
    if (!values.json && !values.progress && process.stderr.isTTY) {
      process.stderr.write('\n');
    }
  }
  if (values.json) {
    io.out(JSON.stringify({ ...summary, library: libraryRoot, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
  } else {
    printSummary(summary, io);
  }
  if (summary.status === 'failed') {
    io.err(`concord: the import failed: ${summary.statusReason ?? 'unknown cause'}`);
    return EXIT_CANNOT_RUN;
  }
  if (summary.status === 'no-dicom') {
    io.err(`concord: ${plain(summary.statusReason ?? 'no DICOM files were found')}`);
    return EXIT_NO_DICOM;
  }
  return summary.status === 'cancelled' ? EXIT_CANCELLED : 0;
}

function studiesCommand(args: string[], io: Output): number {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      search: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(STUDIES_HELP);
    return 0;
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    const studies = listStudies(library.db, { text: values.search });
    if (values.json) {
      io.out(JSON.stringify({ library: libraryRoot, studies }));
      return 0;
    }
    io.out(`${studies.length} studies in ${libraryRoot}`);
    for (const s of studies) {
      io.out(
        `  ${s.studyDate || '--------'}  ${plain(s.patientName) || '(no name)'}  ID ${plain(s.patientId) || '-'}  ` +
          `${plain(s.studyDescription)}  [${s.modalities.join(',')}]  ${s.seriesCount} series, ${s.instanceCount} instances`,
      );
    }
    return 0;
  });
}

async function verifyCommand(args: string[], io: Output): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(VERIFY_HELP);
    return 0;
  }
  const report = await verifyLibrary(resolveLibraryDirectory(values.library));
  if (values.json) {
    io.out(JSON.stringify(report));
  } else {
    io.out(`${report.ok ? 'OK' : 'PROBLEMS FOUND'}: ${report.library}`);
    io.out(
      `  ${report.instancesChecked} instances, ${report.conflictsChecked} conflicts and ${report.unfiledChecked} unfiled instances checked; ` +
        `integrity_check: ${report.integrityCheck}`,
    );
    for (const problem of report.problems) {
      io.out(`  ${problem.kind}: ${problem.sopInstanceUid} (${problem.storeKey}): ${problem.detail}`);
    }
    if (report.orphans.length > 0) {
      io.out(`  ${report.orphans.length} store files not referenced by the index`);
    }
    if (report.temporaries.length > 0) {
      io.out(`  ${report.temporaries.length} partial copies left in the store`);
    }
    if (report.journalEntries > 0) {
      io.out(`  ${report.journalEntries} store objects from an unfinished import (the next import cleans them)`);
    }
    if (report.foreignKeyViolations > 0) {
      io.out(`  ${report.foreignKeyViolations} foreign key violations`);
    }
  }
  return report.ok ? 0 : 1;
}

function unfiledCommand(args: string[], io: Output): number {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(UNFILED_HELP);
    return 0;
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    const unfiled = listUnfiled(library.db).map((u) => ({
      sopInstanceUid: u.sopInstanceUid,
      reason: u.reason,
      patientId: u.patientId,
      patientName: u.patientName,
      studyInstanceUid: u.studyInstanceUid,
      seriesInstanceUid: u.seriesInstanceUid,
      modality: u.modality,
      importSessionId: u.importSessionId,
      source: u.source,
    }));
    if (values.json) {
      io.out(JSON.stringify({ library: libraryRoot, unfiled }));
      return 0;
    }
    io.out(`${unfiled.length} unfiled instance${unfiled.length === 1 ? '' : 's'} in ${libraryRoot}`);
    if (unfiled.length > 0) {
      io.out(`  ${'SOP Instance UID'.padEnd(40)}  ${'patient'.padEnd(24)}  ${'ID'.padEnd(12)}  mod  import  missing`);
    }
    for (const u of unfiled) {
      const missing = [u.studyInstanceUid ? null : 'study', u.seriesInstanceUid ? null : 'series'].filter(Boolean).join('+');
      io.out(
        `  ${u.sopInstanceUid.padEnd(40)}  ${(plain(u.patientName) || '(no name)').padEnd(24)}  ${(plain(u.patientId) || '-').padEnd(12)}  ` +
          `${(plain(u.modality) || '-').padEnd(3)}  ${String(u.importSessionId ?? '-').padEnd(6)}  ${missing}  ${plain(u.source)}`,
      );
    }
    return 0;
  });
}

function fileCommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      study: { type: 'string' },
      'new-study': { type: 'boolean', default: false },
      'other-patient': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(FILE_HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError('file needs exactly one SOP Instance UID');
  }
  if ((values.study === undefined) === !values['new-study']) {
    throw new UsageError('file needs either --study <Study Instance UID> or --new-study');
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    try {
      const result = fileInstance(library.db, {
        sopInstanceUid: positionals[0] as string,
        target: values.study !== undefined ? { study: values.study } : { newStudy: true },
        otherPatientConfirmed: values['other-patient'],
        filedVia: 'command line',
      });
      if (values.json) {
        io.out(JSON.stringify({ library: libraryRoot, filed: result }));
      } else {
        io.out(
          `Filed ${result.sopInstanceUid} into ${result.studyCreated ? 'new ' : ''}study ${result.studyInstanceUid}, ` +
            `${result.seriesCreated ? 'new ' : ''}series ${result.seriesInstanceUid}` +
            `${result.studyUidGenerated || result.seriesUidGenerated ? ' (UIDs made by Concord under 2.25)' : ''}; recorded as filed by ${plain(result.filedBy)}`,
        );
      }
      return 0;
    } catch (error) {
      if (error instanceof FilingError) {
        if (values.json) {
          io.out(JSON.stringify({ library: libraryRoot, error: { code: error.code, message: error.message } }));
        }
        io.err(`concord: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

export async function main(argv: string[], io: Output): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'import':
        return await importCommand(rest, io);
      case 'studies':
        return studiesCommand(rest, io);
      case 'verify':
        return await verifyCommand(rest, io);
      case 'patients':
        return patientsCommand(rest, io);
      case 'reconcile':
        return reconcileCommand(rest, io);
      case 'unfiled':
        return unfiledCommand(rest, io);
      case 'file':
        return fileCommand(rest, io);
      case 'hang':
      case 'protocols': {
        // Loaded only here, like serve: protocol definitions are checked with the schema library.
        const { hangCommand, protocolsCommand } = await import('./hang.ts');
        return command === 'hang' ? await hangCommand(rest, io) : protocolsCommand(rest, io);
      }
      // Loaded only here, as serve is: the report schema library would slow every other command's start.
      case 'reports':
        return (await import('./reports.ts')).reportsCommand(rest, io);
      case 'report':
        return await (await import('./reports.ts')).reportCommand(rest, io);
      case 'readers':
        return (await import('./reports.ts')).readersCommand(rest, io);
      case 'concordance':
        return (await import('./reports.ts')).concordanceCommand(rest, io);
      // Loaded only here, as serve is: most commands never back up.
      case 'backup':
        return await (await import('./backup.ts')).backupCommand(rest, io);
      case 'restore':
        return await (await import('./backup.ts')).restoreCommand(rest, io);
      case 'serve': {
        // Loaded only here: the browser host (and its schema library) would slow every other command's start.
        const { serveCommand } = await import('./serve.ts');
        return await serveCommand(rest, io);
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const topic = rest[0];
        io.out(topic && HELPS[topic] ? HELPS[topic] : MAIN_HELP);
        return 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`concord: ${(error as Error).message}\n\n${(command && HELPS[command]) || MAIN_HELP}`);
      return 2;
    }
    io.err(`concord: ${(error as Error).message}`);
    return 1;
  }
}
