import { readJsonFile } from './json-file.ts';
import { parseArgs } from 'node:util';
import { plainText } from '../../shared/dicom/display-text.ts';
import { hangingRequestSchema } from '../../shared/hanging/layout.ts';
import type { HangingRequest, ResolvedLayout, ResolvedSlot } from '../../shared/hanging/layout.ts';
import { UnknownStudyError, hangStudy } from '../services/hanging/hang-study.ts';
import { ProtocolStoreError, allProtocols, deleteUserProtocol, readPreferences, saveUserProtocol } from '../services/hanging/protocol-store.ts';
import type { Library } from '../services/library/database.ts';
import { HANG_HELP, PROTOCOLS_HELP } from './help.ts';
import type { Output } from './common.ts';
import { UsageError, withLibrary } from './common.ts';

const UID = /^[0-9.]{1,64}$/;

function stageNumber(text: string | undefined): number | undefined {
  if (text === undefined) {
    return undefined;
  }
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isInteger(value) || value < 1) {
    throw new UsageError(`--stage must be a whole number from 1, not ${JSON.stringify(text)}`);
  }
  return value;
}

function hangingRequest(values: { prior?: string; stage?: string; protocol?: string }): HangingRequest {
  if (values.prior !== undefined && !UID.test(values.prior)) {
    throw new UsageError(`--prior must be a Study Instance UID (digits and dots), not ${JSON.stringify(values.prior)}`);
  }
  const parsed = hangingRequestSchema.safeParse({
    stage: stageNumber(values.stage),
    priorStudyInstanceUid: values.prior,
    protocolId: values.protocol,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`--${issue?.path[0] === 'protocolId' ? 'protocol' : issue?.path[0] === 'stage' ? 'stage' : 'prior'}: ${issue?.message ?? 'not valid'}`);
  }
  return parsed.data;
}

function flips(slot: ResolvedSlot): string {
  const parts = [slot.flipHorizontal ? 'H' : '', slot.flipVertical ? 'V' : '', slot.rotation ? `${slot.rotation}°` : ''].filter(Boolean);
  return parts.length > 0 ? parts.join('+') : '-';
}

function printLayout(layout: ResolvedLayout, io: Output): void {
  io.out(`Protocol ${layout.protocol.id}: ${plainText(layout.protocol.name)}`);
  io.out(`Stage ${layout.stage.number} of ${layout.stage.count}: ${plainText(layout.stage.name)}`);
  const prior = layout.prior;
  io.out(prior
    ? `Prior: ${prior.studyInstanceUid} of ${prior.studyDate || '(no date)'}${prior.facility ? ` at ${plainText(prior.facility)}` : ''} (${plainText(prior.reason)})`
    : 'Prior: none');
  const rows = layout.slots.map((slot) => [
    slot.slot,
    slot.role,
    plainText(slot.label),
    slot.sopInstanceUid ?? '-',
    flips(slot),
    slot.inferred.length > 0 ? slot.inferred.map(plainText).join('; ') : '-',
    slot.empty === null ? '-' : plainText(slot.empty),
  ]);
  const header = ['slot', 'role', 'label', 'image', 'flips', 'inferred', 'empty'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]): string => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  io.out(line(header));
  for (const row of rows) {
    io.out(line(row));
  }
  for (const warning of layout.warnings) {
    io.out(`warning: ${plainText(warning)}`);
  }
}

/** A stage beyond the protocol's stages is the caller's mistake: say how many there are. */
async function checkedHanging(library: Library, uid: string, request: HangingRequest, log: (line: string) => void): Promise<ResolvedLayout> {
  let layout: ResolvedLayout;
  try {
    layout = await hangStudy(library, uid, request, log);
  } catch (error) {
    if (request.stage === undefined || error instanceof UnknownStudyError) {
      throw error;
    }
    const fallback = await hangStudy(library, uid, { ...request, stage: undefined });
    if (request.stage > fallback.stage.count) {
      throw new UsageError(`--stage ${request.stage}: protocol ${fallback.protocol.id} has ${fallback.stage.count} stages`);
    }
    throw error;
  }
  if (request.stage !== undefined && layout.stage.number !== request.stage) {
    throw new UsageError(`--stage ${request.stage}: protocol ${layout.protocol.id} has ${layout.stage.count} stages`);
  }
  return layout;
}

export async function hangCommand(args: string[], io: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      prior: { type: 'string' },
      stage: { type: 'string' },
      protocol: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(HANG_HELP);
    return 0;
  }
  const [uid, ...extra] = positionals;
  if (uid === undefined || extra.length > 0) {
    throw new UsageError('hang needs exactly one Study Instance UID');
  }
  if (!UID.test(uid)) {
    throw new UsageError(`${JSON.stringify(uid)} is not a Study Instance UID (digits and dots)`);
  }
  const request = hangingRequest(values);
  return withLibrary(values.library, async (library, libraryRoot) => {
    try {
      const layout = await checkedHanging(library, uid, request, (line) => io.err(`concord: ${line}`));
      if (values.json) {
        io.out(JSON.stringify(layout));
      } else {
        printLayout(layout, io);
      }
      return 0;
    } catch (error) {
      if (error instanceof UnknownStudyError) {
        if (values.json) {
          io.out(JSON.stringify({ library: libraryRoot, error: { code: 'not-found', message: error.message } }));
        }
        io.err(`concord: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}

export function protocolsCommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(PROTOCOLS_HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  if (action !== undefined && rest.length !== 1) {
    throw new UsageError(`protocols ${action} needs exactly one ${action === 'import' ? 'file' : 'protocol id'}`);
  }
  const argument = rest[0] as string;
  return withLibrary(values.library, (library, libraryRoot) => {
    const report = (json: object, text: string): number => {
      io.out(values.json ? JSON.stringify({ library: libraryRoot, ...json }) : text);
      return 0;
    };
    try {
      switch (action) {
        case undefined: {
          const protocols = allProtocols(library.db);
          if (values.json) {
            return report({ protocols, preferences: readPreferences(library.db) }, '');
          }
          io.out(`${protocols.length} hanging protocols in ${libraryRoot}`);
          for (const protocol of protocols) {
            io.out(`  ${protocol.level.padEnd(7)}  ${protocol.id.padEnd(32)}  ${plainText(protocol.name)}  (${protocol.stages.length} stage${protocol.stages.length === 1 ? '' : 's'})`);
          }
          return 0;
        }
        case 'export': {
          const protocol = allProtocols(library.db).find((p) => p.id === argument);
          if (!protocol) {
            throw new ProtocolStoreError('not-found', `no hanging protocol ${argument}`);
          }
          io.out(JSON.stringify(protocol, null, 2));
          return 0;
        }
        case 'import': {
          let definition: unknown;
          try {
            definition = readJsonFile(argument);
          } catch (error) {
            throw new ProtocolStoreError('invalid', `cannot read ${argument} as JSON: ${(error as Error).message}`);
          }
          const protocol = saveUserProtocol(library.db, definition);
          return report({ protocol }, `Saved user protocol ${protocol.id}: ${plainText(protocol.name)}`);
        }
        case 'delete':
          deleteUserProtocol(library.db, argument);
          return report({ deleted: argument }, `Deleted user protocol ${argument}`);
        default:
          throw new UsageError(`unknown protocols action '${action}'`);
      }
    } catch (error) {
      if (error instanceof ProtocolStoreError) {
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
