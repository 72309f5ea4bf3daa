import type { ReactElement } from 'react';
import type { ResolvedSlot } from '../../../../shared/hanging/layout.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { FACILITY_LIMIT, bounded } from './hanging-layout.ts';
import './hang-report.css';

/** The current study's cells say so, with their date, as a prior's cells say "Prior <date>". */
export function CurrentTag({ slot }: { slot: ResolvedSlot }): ReactElement {
  const date = formatDicomDate(slot.studyDate) || 'date unknown';
  const facility = bounded(slot.facility, FACILITY_LIMIT);
  return (
    <div className="current-tag" data-current-tag title={`Current study of ${date}${facility ? ` from ${facility}` : ''}`}>
      Current {date}
    </div>
  );
}
