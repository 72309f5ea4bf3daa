import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { fetchLayout } from './hanging-api.ts';
import { hangsByDefault } from './hanging-layout.ts';

interface Props {
  studyInstanceUid: string;
  /** Where the study opens: `hang` (by its protocol, with its prior) or `series` (the series viewer). */
  onDecided(mode: 'hang' | 'series'): void;
}

/**
 * A study opened from the worklist hangs by its protocol (the compare mode) when one other than the
 * plain one activates; otherwise, or when no protocol can hang it, it opens in the series viewer.
 */
export function StudyOpener({ studyInstanceUid, onDecided }: Props): ReactElement {
  useEffect(() => {
    let current = true;
    fetchLayout({ studyInstanceUid }).then(
      (layout) => current && onDecided(hangsByDefault(layout) ? 'hang' : 'series'),
      () => current && onDecided('series'),
    );
    return () => {
      current = false;
    };
  }, [studyInstanceUid, onDecided]);
  return <p className="note">Opening study…</p>;
}
