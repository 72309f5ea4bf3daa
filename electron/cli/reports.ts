import { readJsonFile } from './json-file.ts';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatPersonName, plainText } from '../../shared/dicom/display-text.ts';
import { OVERVIEW_GROUPINGS, overviewCsv } from '../../shared/reports/overview.ts';
import type { OverviewGrouping } from '../../shared/reports/overview.ts';
import { readerProfileSchema } from '../../shared/reports/report-model.ts';
import { actorHere } from '../services/reports/audit.ts';
import { filteredOverview } from '../services/reports/overview-query.ts';
import { listReaderProfiles, saveReaderProfile } from '../services/reports/reader-profiles.ts';
import { exportToFiles } from '../services/reports/report-exports.ts';
import { ReportError, createReport, getReport, listReports, openReportForReading, signReport } from '../services/reports/report-store.ts';
import { CONCORDANCE_HELP, READERS_HELP, REPORTS_HELP, REPORT_HELP } from './help.ts';
import type { Output } from './common.ts';
import { UsageError, withLibrary } from './common.ts';

/** A refusal of the report service: exit status 1, the reason on standard error (and as JSON with --json). */
function refused(error: unknown, json: boolean, io: Output): number {
  if (!(error instanceof ReportError)) {
    throw error;
  }
  if (json) {
    io.out(JSON.stringify({ error: { code: error.code, message: error.message } }));
  }
  io.err(`concord: ${error.message}`);
  return 1;
}

function reportNumber(text: string | undefined): number {
  const value = Number(text);
  if (!text || !Number.isInteger(value) || value <= 0) {
    throw new UsageError(`the report must be its number (see concord reports), not ${JSON.stringify(text ?? '')}`);
  }
  return value;
}

export function reportsCommand(args: string[], io: Output): number {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      study: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(REPORTS_HELP);
    return 0;
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    const reports = listReports(library.db, { studyInstanceUid: values.study });
    if (values.json) {
      io.out(JSON.stringify({ library: libraryRoot, reports }));
      return 0;
    }
    io.out(`${reports.length} report${reports.length === 1 ? '' : 's'} in ${libraryRoot}`);
    for (const r of reports) {
      const outstanding = r.communicationOutstanding ? '  COMMUNICATION OUTSTANDING' : '';
      io.out(
        `  ${String(r.id).padStart(4)}  ${r.status.padEnd(7)}  ${(r.verdict ?? `(proposed ${r.proposedVerdict})`).padEnd(24)}  ` +
          `outside ${(r.outsideAssessment ?? '-').padEnd(2)}  second ${(r.secondOpinionAssessment ?? '-').padEnd(2)}  ` +
          `${formatPersonName(r.patientName) || '(no name)'}  ${plainText(r.studyDate) || '--------'}  ${r.studyInstanceUid}${outstanding}`,
      );
    }
    return 0;
  });
}

function createSubcommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { library: { type: 'string' }, study: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length > 0 || !values.study || !values.from) {
    throw new UsageError('report create needs --study <Study Instance UID> and --from <F.json>');
  }
  let content: unknown;
  try {
    content = readJsonFile(resolve(values.from));
  } catch (error) {
    io.err(`concord: ${values.from} cannot be read as JSON: ${(error as Error).message}`);
    return 1;
  }
  const study = values.study;
  return withLibrary(values.library, (library, libraryRoot) => {
    try {
      const id = createReport(library.db, study, content, actorHere());
      io.out(values.json ? JSON.stringify({ library: libraryRoot, id, report: getReport(library.db, id) }) : String(id));
      return 0;
    } catch (error) {
      return refused(error, values.json, io);
    }
  });
}

function showSubcommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { library: { type: 'string' }, json: { type: 'boolean', default: false } } });
  const id = reportNumber(positionals[0]);
  return withLibrary(values.library, (library, libraryRoot) => {
    try {
      // Showing a report is opening it: the audit trail records who read it (where the library can be written).
      const { report, auditNote } = openReportForReading(library.db, id, actorHere(), library.readOnly);
      if (auditNote !== null) {
        io.err(`concord: note: ${auditNote}`);
      }
      if (values.json) {
        io.out(JSON.stringify({ library: libraryRoot, report, ...(auditNote === null ? {} : { auditNote }) }));
      } else {
        const { concordance, secondOpinion } = report.content;
        io.out(`report ${report.id} (${report.status}, revision ${report.revision}) of study ${report.studyInstanceUid}`);
        io.out(`  verdict ${concordance.confirmed ?? '(not confirmed)'}, proposed ${concordance.proposed}: ${concordance.rules.map((r) => r.rule).join(', ') || 'no rule fired'}`);
        io.out(`  impression: ${plainText(secondOpinion.impression)}`);
        if (report.signature) {
          io.out(`  signed by ${plainText(report.signature.name)} (${report.signature.profileId}) at ${report.signature.signedAt}`);
        }
      }
      return 0;
    } catch (error) {
      return refused(error, values.json, io);
    }
  });
}

function signSubcommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { library: { type: 'string' }, reader: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const id = reportNumber(positionals[0]);
  if (!values.reader || positionals.length !== 1) {
    throw new UsageError('report sign needs the report number and --reader <profile>');
  }
  const reader = values.reader;
  return withLibrary(values.library, (library, libraryRoot) => {
    try {
      const report = signReport(library.db, { reportId: id, profileId: reader }, actorHere(reader));
      io.out(values.json ? JSON.stringify({ library: libraryRoot, report }) : `Signed report ${id} as ${plainText(report.signature?.name ?? reader)} at ${report.signature?.signedAt ?? ''}`);
      return 0;
    } catch (error) {
      return refused(error, values.json, io);
    }
  });
}

async function exportSubcommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      pdf: { type: 'string' },
      sr: { type: 'string' },
      'encapsulated-pdf': { type: 'string' },
      text: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const id = reportNumber(positionals[0]);
  const file = (path: string | undefined): string | undefined => (path ? resolve(path) : undefined);
  const request = { pdf: file(values.pdf), sr: file(values.sr), encapsulatedPdf: file(values['encapsulated-pdf']), text: file(values.text) };
  if (positionals.length !== 1 || Object.values(request).every((path) => path === undefined)) {
    throw new UsageError('report export needs the report number and at least one of --pdf, --sr, --encapsulated-pdf, --text');
  }
  return withLibrary(values.library, async (library, libraryRoot) => {
    try {
      const written = await exportToFiles(library, id, request, actorHere());
      if (values.json) {
        io.out(JSON.stringify({ library: libraryRoot, written }));
      } else {
        for (const item of written) {
          io.out(`${item.kind}: ${item.path}${item.sopInstanceUid ? ` (SOP Instance UID ${item.sopInstanceUid}, also in the library)` : ''}`);
        }
      }
      return 0;
    } catch (error) {
      return refused(error, values.json, io);
    }
  });
}

export async function reportCommand(args: string[], io: Output): Promise<number> {
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === 'help') {
    io.out(REPORT_HELP);
    return 0;
  }
  switch (action) {
    case 'create':
      return createSubcommand(rest, io);
    case 'show':
      return showSubcommand(rest, io);
    case 'sign':
      return signSubcommand(rest, io);
    case 'export':
      return exportSubcommand(rest, io);
    default:
      throw new UsageError(`unknown report action '${action}' (create, show, sign, export)`);
  }
}

export function readersCommand(args: string[], io: Output): number {
  const adding = args[0] === 'add';
  const { values, positionals } = parseArgs({
    args: adding ? args.slice(1) : args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      id: { type: 'string' },
      name: { type: 'string' },
      credentials: { type: 'string', default: '' },
      'signature-line': { type: 'string' },
      institution: { type: 'string', default: '' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(READERS_HELP);
    return 0;
  }
  if (positionals.length > 0) {
    throw new UsageError(`unknown readers action '${positionals[0]}' (add)`);
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    if (adding) {
      if (!values.id || !values.name) {
        throw new UsageError('readers add needs --id ID and --name NAME');
      }
      const candidate = {
        id: values.id,
        name: values.name,
        credentials: values.credentials,
        signatureLine: values['signature-line'] ?? [values.name, values.credentials].filter(Boolean).join(', '),
        institution: values.institution,
      };
      const parsed = readerProfileSchema.safeParse(candidate);
      if (!parsed.success) {
        throw new UsageError(`the reader profile is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      }
      const profile = saveReaderProfile(library.db, parsed.data, actorHere());
      io.out(values.json ? JSON.stringify({ library: libraryRoot, profile }) : `Saved reader profile ${profile.id}: ${profile.signatureLine}`);
      return 0;
    }
    const profiles = listReaderProfiles(library.db);
    if (values.json) {
      io.out(JSON.stringify({ library: libraryRoot, profiles }));
      return 0;
    }
    io.out(`${profiles.length} reader profile${profiles.length === 1 ? '' : 's'} in ${libraryRoot}`);
    for (const p of profiles) {
      io.out(`  ${p.id.padEnd(20)}  ${p.signatureLine}${p.institution ? ` · ${p.institution}` : ''}`);
    }
    return 0;
  });
}

export function concordanceCommand(args: string[], io: Output): number {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      by: { type: 'string', default: 'modality' },
      from: { type: 'string' },
      to: { type: 'string' },
      reader: { type: 'string' },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(CONCORDANCE_HELP);
    return 0;
  }
  if (!(OVERVIEW_GROUPINGS as readonly string[]).includes(values.by)) {
    throw new UsageError(`--by must be one of ${OVERVIEW_GROUPINGS.join(', ')}`);
  }
  if (values.json && values.csv) {
    throw new UsageError('--json and --csv: choose one');
  }
  for (const [flag, value] of [['--from', values.from], ['--to', values.to]] as const) {
    if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new UsageError(`${flag} takes a date as YYYY-MM-DD, not "${value}"`);
    }
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    const { overview, cases } = filteredOverview(library.db, values.by as OverviewGrouping, { from: values.from, to: values.to, reader: values.reader });
    if (values.json) {
      io.out(JSON.stringify({ library: libraryRoot, ...overview, cases }));
    } else if (values.csv) {
      io.out(overviewCsv(overview).trimEnd());
    } else {
      const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`.padStart(6);
      const only = [values.from && `from ${values.from}`, values.to && `to ${values.to}`, values.reader && `by reader ${plainText(values.reader)}`].filter(Boolean);
      io.out(`${overview.all.total} signed reports with a confirmed verdict in ${libraryRoot}${only.length > 0 ? `, signed ${only.join(' ')}` : ''}`);
      io.out(`  ${'by '.concat(overview.groupBy).padEnd(28)}  total  concordant   minor   major`);
      for (const g of [overview.all, ...overview.groups]) {
        io.out(`  ${plainText(g.key).slice(0, 28).padEnd(28)}  ${String(g.total).padStart(5)}  ${percent(g.concordantRate)}      ${percent(g.minorRate)}  ${percent(g.majorRate)}`);
      }
      io.out('  outside x second opinion:');
      for (const cell of overview.matrix) {
        io.out(`    ${cell.outside.padEnd(2)} -> ${cell.secondOpinion.padEnd(2)}  ${cell.count}`);
      }
    }
    return 0;
  });
}
