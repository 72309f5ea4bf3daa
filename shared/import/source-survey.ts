/**
 * Whether a folder about to be imported looks like a medium (a CD, a DVD, a USB stick with a study)
 * or clearly does not (a home folder, a whole disk): an import of the latter copies every DICOM file
 * a person ever kept, so it is asked about first. The survey is a cheap pre-scan that stops counting
 * at SURVEY_FILE_LIMIT files; this rule only reads it.
 */

/** The pre-scan stops counting here: a folder with this many files is "large" whatever the rest. */
export const SURVEY_FILE_LIMIT = 10_000;

export interface SourceSurvey {
  /** The absolute path surveyed. */
  path: string;
  kind: 'folder' | 'file';
  /** Files counted, at most SURVEY_FILE_LIMIT. */
  filesCounted: number;
  /** The count stopped at the limit: the folder holds at least that many files. */
  countStopped: boolean;
  /** A DICOMDIR in the folder or in one of its folders (where media keep it). */
  hasDicomdir: boolean;
  /** The folder is the user's home folder, a folder above it, or the root of the file system. */
  homeOrAbove: boolean;
}

export type SourceVerdict =
  | { verdict: 'medium' }
  | {
      verdict: 'ask';
      /** Why the folder does not look like a medium, each in words. */
      reasons: string[];
      /** The question to put to the person, naming the folder. */
      question: string;
    };

/**
 * A single file, or a folder with a DICOMDIR that is not a home folder, is a medium. A home folder
 * (or above) is always asked about; so is a folder of SURVEY_FILE_LIMIT files or more without a
 * DICOMDIR. Anything else is imported without a question.
 */
export function judgeSource(survey: SourceSurvey): SourceVerdict {
  if (survey.kind === 'file') {
    return { verdict: 'medium' };
  }
  const reasons: string[] = [];
  if (survey.homeOrAbove) {
    reasons.push('it is a home folder or a folder above one');
  }
  if (survey.countStopped && !survey.hasDicomdir) {
    reasons.push(`it holds ${SURVEY_FILE_LIMIT.toLocaleString('en-US')} files or more`);
  }
  if (reasons.length === 0) {
    return { verdict: 'medium' };
  }
  if (!survey.hasDicomdir) {
    reasons.push('it has no DICOMDIR');
  }
  return {
    verdict: 'ask',
    reasons,
    question: `${survey.path} does not look like a disc or a medium: ${reasons.join('; ')}. Import every DICOM file under it?`,
  };
}
