import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { formatPersonName, plainText } from '../../shared/dicom/display-text.ts';
import { listLocalPatients } from '../services/library/patients.ts';
import type { IdentityRecord } from '../services/library/patients.ts';
import { ReconcileError, acceptProposal, generateProposals, listOpenProposals, rejectProposal, undoLink } from '../services/library/reconciliation.ts';
import { PATIENTS_HELP, RECONCILE_HELP } from './help.ts';
import type { Output } from './common.ts';
import { UsageError, withLibrary } from './common.ts';

/** Header text is untrusted: terminal control characters never reach the terminal. */
function shown(name: string): string {
  return formatPersonName(name) || '(no name)';
}

function identityLine(identity: IdentityRecord): string {
  const issuer = identity.issuer ? ` (issuer ${plainText(identity.issuer)})` : '';
  const facility = identity.facilities.length > 0 ? `, ${identity.facilities.map(plainText).join('; ')}` : '';
  return `identity ${identity.id}: ${shown(identity.name)}  ID ${plainText(identity.patientId) || '-'}${issuer}  ` +
    `born ${plainText(identity.birthDate) || '-'}  ${plainText(identity.sex) || '-'}${facility}`;
}

export function patientsCommand(args: string[], io: Output): number {
  const { values } = parseArgs({
    args,
    options: {
      library: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(PATIENTS_HELP);
    return 0;
  }
  return withLibrary(values.library, (library, libraryRoot) => {
    const patients = listLocalPatients(library.db);
    if (values.json) {
      io.out(JSON.stringify({ library: libraryRoot, patients }));
      return 0;
    }
    io.out(`${patients.length} patients in ${libraryRoot}`);
    for (const patient of patients) {
      io.out(`patient ${patient.id}: ${shown(patient.name)}  born ${plainText(patient.birthDate) || '-'}  ${plainText(patient.sex) || '-'}`);
      for (const identity of patient.identities) {
        io.out(`  ${identityLine(identity)}`);
      }
      for (const study of patient.studies) {
        io.out(`    ${study.studyDate || '--------'}  [${study.modalities.join(',')}]  ${plainText(study.facility) || '(no facility)'}  ${study.studyInstanceUid}`);
      }
    }
    return 0;
  });
}

function proposalNumber(text: string | undefined, what: string): number {
  const value = Number(text);
  if (!text || !Number.isInteger(value) || value <= 0) {
    throw new UsageError(`${what} must be a positive whole number, not ${JSON.stringify(text ?? '')}`);
  }
  return value;
}

export function reconcileCommand(args: string[], io: Output): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      library: { type: 'string' },
      by: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.out(RECONCILE_HELP);
    return 0;
  }
  const [action, ...rest] = positionals;
  const by = values.by?.trim() || userInfo().username;
  return withLibrary(values.library, (library, libraryRoot) => {
    const report = (json: object, text: string): number => {
      io.out(values.json ? JSON.stringify({ library: libraryRoot, ...json }) : text);
      return 0;
    };
    try {
      switch (action) {
        case undefined: {
          // On demand: compare the library's identities again, then list what waits for a decision.
          generateProposals(library.db);
          const proposals = listOpenProposals(library.db);
          if (values.json) {
            return report({ proposals }, '');
          }
          io.out(`${proposals.length} open link proposals in ${libraryRoot}`);
          for (const proposal of proposals) {
            io.out(`proposal ${proposal.id}:`);
            for (const identity of proposal.identities) {
              io.out(`  ${identityLine(identity)} (patient ${identity.localPatientId})`);
            }
            for (const e of proposal.evidence) {
              const verdict = e.agrees === true ? 'for    ' : e.agrees === false ? 'AGAINST' : '-      ';
              io.out(`    ${verdict} ${e.attribute.padEnd(15)} ${plainText(e.values[0])} | ${plainText(e.values[1])}  (${e.note})`);
            }
          }
          return 0;
        }
        case 'accept':
        case 'reject': {
          if (rest.length !== 1) {
            throw new UsageError(`reconcile ${action} needs exactly one proposal number`);
          }
          const id = proposalNumber(rest[0], 'the proposal');
          if (action === 'accept') {
            const { localPatientId } = acceptProposal(library.db, id, by);
            return report({ proposalId: id, status: 'accepted', localPatientId, by },
              `Proposal ${id} accepted by ${by}: its identities are now patient ${localPatientId}.`);
          }
          rejectProposal(library.db, id, by);
          return report({ proposalId: id, status: 'rejected', by }, `Proposal ${id} rejected by ${by}: it will not be proposed again.`);
        }
        case 'undo': {
          if (rest.length !== 2) {
            throw new UsageError('reconcile undo needs a patient number and an identity number');
          }
          const patient = proposalNumber(rest[0], 'the patient');
          const identity = proposalNumber(rest[1], 'the identity');
          const { localPatientId } = undoLink(library.db, patient, identity, by);
          return report({ patientId: patient, identityId: identity, status: 'undone', localPatientId, by },
            `Identity ${identity} unlinked from patient ${patient} by ${by}: it is now patient ${localPatientId}.`);
        }
        default:
          throw new UsageError(`unknown reconcile action '${action}'`);
      }
    } catch (error) {
      if (error instanceof ReconcileError) {
        if (values.json) {
          io.out(JSON.stringify({ error: { code: error.code, message: error.message }, library: libraryRoot }));
        }
        io.err(`concord: ${error.message}`);
        return 1;
      }
      throw error;
    }
  });
}
