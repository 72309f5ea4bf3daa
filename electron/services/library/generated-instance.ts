import { classifySopClass, isDisplayableKind } from '../../../shared/dicom/sop-classes.ts';
import { analyzeHeader } from '../import/analysis.ts';
import { inspectBytes } from '../import/dicom-header.ts';
import { ObjectStore } from '../store/object-store.ts';
import type { Library } from './database.ts';
import { LibraryError } from './database.ts';
import { acquireImportLock } from './import-lock.ts';
import { IndexWriter } from './index-writer.ts';

/** store_journal rows need a session; an object Concord made itself belongs to none (0 is never an import's id). */
const NO_IMPORT_SESSION = 0;

export interface GeneratedInstance {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  storeKey: string;
}

/**
 * Adds an instance Concord wrote (a report's SR or Encapsulated PDF) to the library exactly as the
 * importer adds a received one: read back through the importer's own header reader, stored by content
 * hash through the journal (fsync, rename), indexed with the importer's IndexWriter in one transaction
 * with `alsoInTransaction` (the caller's own rows). It must land in `studyInstanceUid`, under the
 * study's own patient identity; anything else is refused and nothing is indexed. Holds the import
 * lock meanwhile: the store has one writer at a time.
 */
export async function addGeneratedInstance(
  library: Library,
  bytes: Buffer,
  studyInstanceUid: string,
  sourceLabel: string,
  alsoInTransaction: (instance: GeneratedInstance) => void,
): Promise<GeneratedInstance> {
  const analysis = analyzeHeader(inspectBytes(bytes), bytes);
  if (analysis.kind !== 'instance' || analysis.hash === null) {
    throw new LibraryError(`the generated object cannot be read back: ${analysis.kind === 'problem' ? analysis.reason : 'not an instance'}`);
  }
  const { attributes } = analysis;
  if (attributes.studyInstanceUid !== studyInstanceUid || !attributes.seriesInstanceUid || !attributes.sopInstanceUid) {
    throw new LibraryError(`the generated object names study ${attributes.studyInstanceUid || '(none)'}, not ${studyInstanceUid}`);
  }
  const release = acquireImportLock(library.db);
  try {
    const writer = new IndexWriter(library.db);
    if (writer.lookup(attributes.sopInstanceUid)) {
      throw new LibraryError(`SOP Instance UID ${attributes.sopInstanceUid} is already in the library`);
    }
    const store = new ObjectStore(library.paths.store);
    const object = store.begin();
    object.startFromBytes(bytes, analysis.hash);
    await object.seal();
    writer.journal([analysis.hash], NO_IMPORT_SESSION);
    await store.publish([object]);
    const kind = classifySopClass(attributes.sopClassUid);
    const generated = { sopInstanceUid: attributes.sopInstanceUid, seriesInstanceUid: attributes.seriesInstanceUid, storeKey: analysis.hash };
    const now = new Date().toISOString();
    library.db.transaction(() => {
      const placement = writer.addInstance(
        {
          attributes,
          objectKind: kind,
          displayable: isDisplayableKind(kind),
          transferSyntaxUid: analysis.transferSyntaxUid,
          originalAttributes: JSON.stringify(attributes),
          storeKey: analysis.hash as string,
          fileSize: bytes.length,
          sourcePath: sourceLabel,
        },
        null,
        now,
      );
      if (!('studyId' in placement)) {
        throw new LibraryError(`the generated object cannot join its study: ${placement.reason}`);
      }
      writer.refreshSearch(placement.studyId);
      writer.clearJournal(analysis.hash as string);
      alsoInTransaction(generated);
    })();
    return generated;
  } finally {
    release();
  }
}
