import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { api } from '../../api/api.ts';

/** Says, on every page, that the library was opened for viewing only (a read-only disk or share), and why. */
export function ReadOnlyBanner(): ReactElement | null {
  const [info, setInfo] = useState<{ root: string; readOnly: string | null } | null>(null);
  useEffect(() => {
    api.getLibraryInfo({}).then(setInfo, () => setInfo(null));
  }, []);
  if (!info?.readOnly) {
    return null;
  }
  return (
    <div className="banner read-only" role="status" data-testid="read-only-library">
      <span>
        Read-only library: {info.root} ({info.readOnly}). Opened for viewing only: nothing can be saved, and opening a report is not
        recorded in its audit trail.
      </span>
    </div>
  );
}
