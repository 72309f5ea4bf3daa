import { resolveHanging } from '../../../shared/hanging/engine.ts';
import type { HangingRequest, ResolvedLayout } from '../../../shared/hanging/layout.ts';
import type { HangingInput } from '../../../shared/hanging/model.ts';
import type { Library } from '../library/database.ts';
import { ObjectStore } from '../store/object-store.ts';
import { buildHangingInput, patientStudiesOf } from './input.ts';
import { backfillMrAttributes } from './mr-backfill.ts';
import type { BackfillReport } from './mr-backfill.ts';
import { attachOrientationChoices } from './orientation-choices.ts';
import { attachPixelHints } from './pixel-hints.ts';
import type { HintReport } from './pixel-hints.ts';
import { allProtocols, readPreferences } from './protocol-store.ts';

export class UnknownStudyError extends Error {
  constructor(readonly studyInstanceUid: string) {
    super(`No study ${studyInstanceUid} in the library`);
    this.name = 'UnknownStudyError';
  }
}

export interface PreparedInput {
  input: HangingInput;
  backfill: BackfillReport;
  hints: HintReport;
}

/**
 * Everything the engine needs for one study, from the library: the patient's studies, with MR values
 * read from the store where the index predates them (once), pixel hints for every breast projection
 * (cached), and the reader's orientation choices. `log` hears what was filled in or could not be.
 */
export async function prepareHangingInput(library: Library, studyInstanceUid: string, log: (line: string) => void = () => undefined): Promise<PreparedInput> {
  const studies = patientStudiesOf(library.db, studyInstanceUid);
  if (!studies) {
    throw new UnknownStudyError(studyInstanceUid);
  }
  const store = new ObjectStore(library.paths.store);
  const backfill = backfillMrAttributes(library.db, store, [studies.current.id, ...studies.others.map((s) => s.id)]);
  if (backfill.filled > 0) {
    log(`MR series values read from the store for ${backfill.filled} instances indexed before they were`);
  }
  for (const failure of backfill.failed) {
    log(`MR series values of ${failure.sopInstanceUid} not read: ${failure.reason}`);
  }
  const input = buildHangingInput(library.db, studies);
  const instances = [input.current, ...input.others].flatMap((study) => study.instances);
  const hints = await attachPixelHints(library.db, store, instances);
  attachOrientationChoices(library.db, instances);
  for (const miss of hints.unanalysed) {
    log(`chest-wall side of ${miss.sopInstanceUid} not found from its pixels: ${miss.reason}`);
  }
  return { input, backfill, hints };
}

/** The resolved layout of one stage for a study: factory and user protocols, the reader's preferences. */
export async function hangStudy(
  library: Library,
  studyInstanceUid: string,
  request: HangingRequest,
  log?: (line: string) => void,
): Promise<ResolvedLayout> {
  const { input } = await prepareHangingInput(library, studyInstanceUid, log);
  return resolveHanging(input, allProtocols(library.db), request, readPreferences(library.db));
}
