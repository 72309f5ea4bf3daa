import type { WorkstationApi } from '../../../shared/api/contract.ts';
import { ApiError } from '../../../shared/api/errors.ts';
import type { ApiEvent, Job } from '../../../shared/api/schemas.ts';
import type { ObjectKind } from '../../../shared/dicom/sop-classes.ts';
import { openLibrary } from '../library/database.ts';
import { LibraryReadOnlyError, isReadOnlyWrite } from '../library/write-refusals.ts';
import type { Library } from '../library/database.ts';
import { listOutcomes } from '../library/import-summary.ts';
import { instanceFile } from '../library/instance-file.ts';
import { encapsulatedPdfOf, readInstanceDocument } from '../documents/read-document.ts';
import { getStudyDetail, listStudies, storedInstance } from '../library/studies.ts';
import { getLocalPatient, listLocalPatients } from '../library/patients.ts';
import { ReconcileError, acceptProposal, generateProposals, listOpenProposals, rejectProposal, undoLink } from '../library/reconciliation.ts';
import { userInfo } from 'node:os';
import { deliverableBytes, deliveryBytes, instanceDelivery } from '../store/delivery.ts';
import type { InstanceDelivery } from '../store/delivery.ts';
import { FilingError, fileInstance, filedUids, filingCandidates, listUnfiled } from '../library/unfiled.ts';
import { withFiledUids } from '../store/filed-uids.ts';
import { ObjectStore } from '../store/object-store.ts';
import { ImportSourceError, checkImportSource } from '../import/source-check.ts';
import { surveySource } from '../import/source-survey.ts';
import { judgeSource } from '../../../shared/import/source-survey.ts';
import { UnknownStudyError, hangStudy } from '../hanging/hang-study.ts';
import { OrientationChoiceError, chooseOrientation } from '../hanging/orientation-choices.ts';
import {
  ProtocolStoreError, allProtocols, deleteUserProtocol, readPreferences, reorderUserProtocols, saveUserProtocol, writePreferences,
} from '../hanging/protocol-store.ts';
import { JobManager } from './job-manager.ts';
import { actorHere, listAudit } from '../reports/audit.ts';
import type { Actor } from '../reports/audit.ts';
import { listOutsideReports } from '../reports/outside-reports.ts';
import { filteredOverview } from '../reports/overview-query.ts';
import { getReaderProfile, listReaderProfiles, saveReaderProfile } from '../reports/reader-profiles.ts';
import { exportIntoLibrary } from '../reports/report-exports.ts';
import {
  ReportError, addAddendum, createReport, getReport, isCommunicationOutstanding, listReports, openReportForReading, recordCommunication, recordOutcome,
  saveDraft, saveKeyImage, signReport,
} from '../reports/report-store.ts';
import { overviewCsv } from '../../../shared/reports/overview.ts';
import { absoluteSourcePath, listFolder, listVolumes } from './volumes.ts';

export interface Workstation extends WorkstationApi {
  readonly libraryRoot: string;
  /** An instance's bytes for image delivery (see store/delivery.ts); null when the library has no such instance. */
  /** How an instance's bytes are handed to a viewer (the stored file, streamed, or bytes made for delivery), or null. */
  instanceDelivery(sopInstanceUid: string): InstanceDelivery | null;
  /** The same, whole in memory (tests, small objects). */
  instanceBytes(sopInstanceUid: string): Buffer | null;
  /** The PDF inside an Encapsulated PDF instance; null when the library has no such instance or it holds no PDF. */
  documentBytes(sopInstanceUid: string): Promise<Buffer | null>;
  close(): Promise<void>;
}

/** Who decides at this workstation: the user the app or browser host runs as. */
function decidedBy(): string {
  return userInfo().username;
}

/** Protocol edits answer with the API's codes: a bad definition is the request's fault, a missing one not found. */
function editingProtocols<T>(edit: () => T): T {
  try {
    return edit();
  } catch (error) {
    if (error instanceof ProtocolStoreError) {
      throw new ApiError(error.code === 'invalid' ? 'bad-request' : error.code, error.message);
    }
    throw error;
  }
}

function reconciling<T>(decide: () => T): T {
  try {
    return decide();
  } catch (error) {
    throw error instanceof ReconcileError ? new ApiError(error.code, error.message) : error;
  }
}

/** A report service's refusal as the API's typed error. */
async function reporting<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw error instanceof ReportError ? new ApiError(error.code, error.message) : error;
  }
}

/**
 * The workstation's services behind the typed API, knowing nothing of the transport that calls them.
 * Reads go through this process's connection; imports run in a worker that is the single writer.
 */
export function createWorkstation(libraryRoot: string, workerEntry: URL): Workstation {
  const library: Library = openLibrary(libraryRoot);
  const jobs = new JobManager(libraryRoot, workerEntry);
  const store = new ObjectStore(library.paths.store);
  // A decision changes the worklist (names, marks, priors) as an import does.
  const changed = (): void => {
    jobs.emit('library-changed');
  };
  // The audit trail names the OS user and, when the page says who is reading, that reader's profile.
  const readerAt = (profileId: string | undefined): Actor => {
    if (profileId !== undefined && !getReaderProfile(library.db, profileId)) {
      throw new ReportError('not-found', `No reader profile ${profileId}`);
    }
    return actorHere(profileId ?? null);
  };

  const deliveryOf = (sopInstanceUid: string): InstanceDelivery | null => {
    const stored = storedInstance(library.db, sopInstanceUid);
    if (!stored) {
      return null;
    }
    const path = store.objectPath(stored.key);
    // A filed instance is handed out with the UIDs it was filed under; its stored file stays as received.
    const filed = filedUids(library.db, sopInstanceUid);
    if (filed) {
      return { kind: 'bytes', bytes: withFiledUids(deliverableBytes(path, stored.transferSyntaxUid, stored.quirked), stored.transferSyntaxUid, filed) };
    }
    return instanceDelivery(path, stored.transferSyntaxUid, stored.quirked);
  };

  const api: Workstation = {
    libraryRoot,
    getLibraryInfo: async () => ({ root: libraryRoot, readOnly: library.readOnly }),
    startImport: async ({ path, confirmed }) => {
      if (library.readOnly !== null) {
        throw readOnlyRefusal(libraryRoot, library.readOnly);
      }
      const source = absoluteSourcePath(path);
      try {
        checkImportSource(source);
      } catch (error) {
        throw error instanceof ImportSourceError ? new ApiError(error.code, error.message, { path: error.path }) : error;
      }
      if (!confirmed) {
        const survey = surveySource(source);
        const judged = judgeSource(survey);
        if (judged.verdict === 'ask') {
          throw new ApiError('source-not-medium', judged.question, { path: source, reasons: judged.reasons, survey });
        }
      }
      return { job: jobs.startImport(source) };
    },
    cancelJob: async ({ jobId }) => ({ job: jobs.cancel(jobId) }),
    getJob: async ({ jobId }) => ({ job: jobs.get(jobId) }),
    listJobs: async () => ({ jobs: jobs.list() }),
    listImportOutcomes: async ({ sessionId, problemsOnly, offset = 0, limit = 200 }) => {
      const all = listOutcomes(library.db, sessionId).filter(
        (o) => !problemsOnly || !['imported', 'already-present', 'media-directory'].includes(o.outcome),
      );
      return { outcomes: all.slice(offset, offset + limit), total: all.length };
    },
    listStudies: async (query) => ({ studies: listStudies(library.db, query) }),
    getStudy: async ({ studyInstanceUid }) => {
      const detail = getStudyDetail(library.db, studyInstanceUid);
      if (!detail) {
        throw new ApiError('not-found', `No study ${studyInstanceUid} in the library`);
      }
      return detail;
    },
    instanceDelivery: deliveryOf,
    instanceBytes: (sopInstanceUid: string) => {
      const delivery = deliveryOf(sopInstanceUid);
      return delivery ? deliveryBytes(delivery) : null;
    },
    getDocument: async ({ sopInstanceUid }) => {
      const file = instanceFile(library.db, sopInstanceUid);
      if (!file) {
        throw new ApiError('not-found', `No instance ${sopInstanceUid} in the library`);
      }
      if (file.objectKind === 'image') {
        throw new ApiError('bad-request', `${sopInstanceUid} is an image, not a document`);
      }
      const stored = { path: store.objectPath(file.storeKey), transferSyntaxUid: file.transferSyntaxUid };
      const document = await readInstanceDocument(stored, file.sopClassUid);
      return { document: { ...document, sopInstanceUid } };
    },
    documentBytes: async (sopInstanceUid: string) => {
      const file = instanceFile(library.db, sopInstanceUid);
      return file ? encapsulatedPdfOf({ path: store.objectPath(file.storeKey), transferSyntaxUid: file.transferSyntaxUid }) : null;
    },
    listPatients: async () => ({ patients: listLocalPatients(library.db) }),
    getPatient: async ({ patientId }) => {
      const patient = getLocalPatient(library.db, patientId);
      if (!patient) {
        throw new ApiError('not-found', `No patient ${patientId} in the library`);
      }
      return { patient, proposals: listOpenProposals(library.db, patientId) };
    },
    listProposals: async ({ propose }) => {
      if (propose) {
        generateProposals(library.db);
      }
      return { proposals: listOpenProposals(library.db) };
    },
    decideProposal: async ({ proposalId, decision }) => {
      const result = reconciling(() =>
        decision === 'accept'
          ? acceptProposal(library.db, proposalId, decidedBy())
          : (rejectProposal(library.db, proposalId, decidedBy()), { localPatientId: null }),
      );
      changed();
      return result;
    },
    undoLink: async ({ patientId, identityId }) => {
      const result = reconciling(() => undoLink(library.db, patientId, identityId, decidedBy()));
      changed();
      return result;
    },
    listUnfiled: async () => ({
      unfiled: listUnfiled(library.db).map((u) => ({
        ...u,
        objectKind: u.objectKind as ObjectKind,
        candidates: filingCandidates(library.db, u.sopInstanceUid),
      })),
    }),
    fileInstance: async ({ sopInstanceUid, studyInstanceUid, otherPatient }) => {
      try {
        const filed = fileInstance(library.db, {
          sopInstanceUid,
          target: studyInstanceUid ? { study: studyInstanceUid } : { newStudy: true },
          otherPatientConfirmed: otherPatient === true,
          filedVia: 'app',
        });
        jobs.emit('library-changed');
        return { filed };
      } catch (error) {
        if (error instanceof FilingError) {
          const code = error.code === 'unknown-instance' || error.code === 'unknown-study' ? 'not-found' : 'conflict';
          throw new ApiError(code, error.message, { reason: error.code });
        }
        throw error;
      }
    },
    getHanging: async ({ studyInstanceUid, ...request }) => {
      try {
        return { layout: await hangStudy(library, studyInstanceUid, request, (line) => process.stderr.write(`hanging: ${line}\n`)) };
      } catch (error) {
        throw error instanceof UnknownStudyError ? new ApiError('not-found', error.message) : error;
      }
    },
    listProtocols: async () => editingProtocols(() => ({ protocols: allProtocols(library.db), preferences: readPreferences(library.db) })),
    saveProtocol: async ({ protocol }) => {
      const saved = editingProtocols(() => saveUserProtocol(library.db, protocol));
      changed();
      return { protocol: saved };
    },
    deleteProtocol: async ({ id }) => {
      editingProtocols(() => deleteUserProtocol(library.db, id));
      changed();
      return {};
    },
    reorderProtocols: async ({ ids }) => {
      editingProtocols(() => reorderUserProtocols(library.db, ids));
      changed();
      return { protocols: editingProtocols(() => allProtocols(library.db)) };
    },
    setHangingPreferences: async ({ preferences }) => {
      const stored = editingProtocols(() => writePreferences(library.db, preferences));
      changed();
      return { preferences: stored };
    },
    chooseOrientation: ({ profileId, ...request }) =>
      reporting(() => {
        try {
          const chosen = chooseOrientation(library.db, request, readerAt(profileId));
          changed();
          return chosen;
        } catch (error) {
          throw error instanceof OrientationChoiceError ? new ApiError('not-found', error.message) : error;
        }
      }),
    listReports: async ({ studyInstanceUid }) => ({ reports: listReports(library.db, { studyInstanceUid }) }),
    getReport: ({ reportId, profileId }) =>
      reporting(() => {
        const { report, auditNote } = openReportForReading(library.db, reportId, readerAt(profileId), library.readOnly);
        return {
          report,
          communicationOutstanding: isCommunicationOutstanding(report),
          audit: listAudit(library.db, reportId),
          ...(auditNote === null ? {} : { auditNote }),
        };
      }),
    createReport: ({ studyInstanceUid, content, profileId }) =>
      reporting(() => {
        const report = getReport(library.db, createReport(library.db, studyInstanceUid, content, readerAt(profileId)));
        changed();
        return { report };
      }),
    saveDraft: ({ profileId, ...request }) => reporting(() => saveDraft(library.db, request, readerAt(profileId))),
    signReport: ({ reportId, profileId }) =>
      reporting(() => {
        const report = signReport(library.db, { reportId, profileId }, actorHere(profileId));
        changed();
        return { report };
      }),
    addAddendum: (request) =>
      reporting(() => {
        const report = addAddendum(library.db, request, actorHere(request.profileId));
        changed();
        return { report };
      }),
    listReaderProfiles: async () => ({ profiles: listReaderProfiles(library.db) }),
    saveReaderProfile: async ({ profile }) => ({ profile: saveReaderProfile(library.db, profile, actorHere()) }),
    recordCommunication: ({ reportId, communication, profileId }) =>
      reporting(() => ({ report: recordCommunication(library.db, reportId, communication, readerAt(profileId)) })),
    recordOutcome: ({ reportId, outcome, profileId }) =>
      reporting(() => ({ report: recordOutcome(library.db, reportId, outcome, readerAt(profileId)) })),
    saveKeyImage: ({ reportId, sopInstanceUid, frame, caption, pngBase64 }) =>
      reporting(() => {
        saveKeyImage(library.db, reportId, { sopInstanceUid, frame, caption, png: pngBase64 === null ? null : Buffer.from(pngBase64, 'base64') }, actorHere());
        return {};
      }),
    exportReport: ({ reportId, kinds, profileId }) =>
      reporting(async () => {
        if (library.readOnly !== null) {
          throw readOnlyRefusal(libraryRoot, library.readOnly);
        }
        const exported = await exportIntoLibrary(library, reportId, kinds, readerAt(profileId));
        changed();
        return { exports: exported.map(({ kind, sopInstanceUid, seriesInstanceUid }) => ({ kind, sopInstanceUid, seriesInstanceUid })) };
      }),
    listOutsideReports: async ({ studyInstanceUid }) => ({ documents: listOutsideReports(library.db, studyInstanceUid) }),
    concordanceOverview: async ({ groupBy, from, to, reader }) => {
      const { overview, cases, readers } = filteredOverview(library.db, groupBy, { from, to, reader });
      return { overview, csv: overviewCsv(overview), cases, readers };
    },
    listVolumes: async () => ({ volumes: listVolumes() }),
    listFolder: async ({ path }) => listFolder(path),
    subscribe: (listener: (event: ApiEvent) => void) => {
      const onJob = (job: Job): void => listener({ type: 'job', job });
      const onLibrary = (): void => listener({ type: 'library-changed' });
      jobs.on('job', onJob);
      jobs.on('library-changed', onLibrary);
      return () => {
        jobs.off('job', onJob);
        jobs.off('library-changed', onLibrary);
      };
    },
    close: async () => {
      jobs.cancelAll();
      await jobs.idle();
      library.close();
    },
  };
  return library.readOnly === null ? api : refusingWrites(api, libraryRoot, library.readOnly);
}

function readOnlyRefusal(root: string, reason: string): ApiError {
  return new ApiError('read-only', new LibraryReadOnlyError(root, reason).message, { root, reason });
}

/**
 * A read-only library's workstation: every write (a report saved or signed, a decision, a protocol)
 * that SQLite refuses is answered as the library's refusal, naming the folder and the reason.
 */
function refusingWrites(api: Workstation, root: string, reason: string): Workstation {
  const wrapped: Record<string, unknown> = { ...api };
  for (const [name, method] of Object.entries(api)) {
    if (typeof method !== 'function' || name === 'subscribe' || name === 'close') {
      continue;
    }
    wrapped[name] = (...args: unknown[]): unknown => {
      const refused = (error: unknown): never => {
        throw isReadOnlyWrite(error) ? readOnlyRefusal(root, reason) : error;
      };
      try {
        const result: unknown = (method as (...a: unknown[]) => unknown)(...args);
        return result instanceof Promise ? result.catch(refused) : result;
      } catch (error) {
        return refused(error);
      }
    };
  }
  return wrapped as unknown as Workstation;
}
