import { useEffect, useRef } from 'react';
import type { ReactElement } from 'react';
import type { ResolvedSlot } from '../../../../shared/hanging/layout.ts';
import { DISAGREE_WARNING, FROM_IMAGE_NOTE, UNKNOWN_WARNING, needsReaderCheck, orientationChoicesFor } from '../../../../shared/hanging/mammo-orientation.ts';
import type { Series } from '../../../../shared/api/schemas.ts';
import type { Placement } from '../../imaging/placement.ts';
import { viewportService } from '../../imaging/viewport-service.ts';
import { useViewer } from '../../state/viewer.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { FACILITY_LIMIT, bounded, labelCorner } from './hanging-layout.ts';
import { LinkBadge, useLinked } from '../viewer/LinkControls.tsx';
import { CurrentTag } from './CurrentTag.tsx';

/** What a filled cell shows: the series and the images of it the slot hangs. */
export interface CellContent {
  series: Series;
  imageIds: string[];
  initialIndex: number;
}

interface Props {
  slot: ResolvedSlot;
  content: CellContent | null;
  /** Null until the cell has a size: the image is placed once, where the stage's scale puts it. */
  placement: Placement | null;
  /** The reader flips or keeps an image whose orientation she must check (the stored edge that is the chest wall). */
  onOrientation?: (sopInstanceUid: string, chestWallSide: 'left' | 'right', choice: 'flip' | 'keep') => void;
}

/**
 * The orientation as the cell says it: nothing where header and pixels agree (or the header alone
 * decides); "orientation from the image" where the pixels decided; a red warning with flip and keep
 * where header and image disagree or nothing tells; the reader's choice, which she can flip again.
 */
function OrientationNote({ slot, onOrientation }: { slot: ResolvedSlot; onOrientation: Props['onOrientation'] }): ReactElement | null {
  const check = slot.orientation;
  if (!check || (slot.laterality !== 'R' && slot.laterality !== 'L') || !slot.sopInstanceUid) {
    return null;
  }
  const sop = slot.sopInstanceUid;
  const choices = orientationChoicesFor(check, slot.laterality);
  const choose = (choice: 'flip' | 'keep') => () => onOrientation?.(sop, choices[choice], choice);
  if (needsReaderCheck(check.status)) {
    const text = check.status === 'disagree' ? DISAGREE_WARNING : UNKNOWN_WARNING;
    const header = check.header === '' ? 'none' : bounded(check.header, 16);
    return (
      <div className="hang-orientation-alert" role="alert" data-orientation-warning={check.status} title={`Patient Orientation: ${header}; chest wall in the pixels: ${check.imageChestWall ?? 'not found'}`}>
        <div>{text}</div>
        <div className="hang-orientation-buttons">
          <button type="button" onClick={choose('flip')} title="The chest wall is at the other edge: flip this image">Flip</button>
          <button type="button" onClick={choose('keep')} title="The image hangs right: keep it as shown">Keep</button>
        </div>
      </div>
    );
  }
  if (check.status === 'image') {
    return <div className="hang-inferred" data-orientation-note="image" title="No readable Patient Orientation: the chest wall was found in the pixels">{FROM_IMAGE_NOTE}</div>;
  }
  if (check.status === 'chosen') {
    return (
      <div className="hang-inferred hang-orientation-chosen" data-orientation-note="chosen" title="Header and image disagreed; the reader chose">
        orientation chosen by the reader{' '}
        <button type="button" onClick={choose('flip')} title="Flip this image again">Flip</button>
      </div>
    );
  }
  return null;
}

function PriorTag({ slot }: { slot: ResolvedSlot }): ReactElement {
  const date = formatDicomDate(slot.studyDate) || 'date unknown';
  const facility = bounded(slot.facility, FACILITY_LIMIT) || 'facility unknown';
  return (
    <div className="prior-tag" data-prior-tag title={`Prior study of ${date} from ${facility}`}>
      Prior{slot.priorNumber && slot.priorNumber > 1 ? ` ${slot.priorNumber}` : ''} {date} · {facility}
    </div>
  );
}

/** Why the cell shows what it shows: the rules that fired and the calibration used, for the label's tooltip. */
function whyText(slot: ResolvedSlot): string {
  const calibration = slot.calibrationKind ? [`calibration: ${slot.calibrationKind}`] : [];
  return [...slot.rules, ...calibration].map((line) => bounded(line, 200)).join('\n');
}

/** The cell's texts: view label at the lateral/axillary corner, prior tag, what was inferred, warnings. */
function CellNotes({ slot, onOrientation }: { slot: ResolvedSlot; onOrientation: Props['onOrientation'] }): ReactElement {
  const corner = labelCorner(slot);
  const bottom = corner === 'top-left' ? 'bottom-left' : 'bottom-right';
  // What else the engine had to infer (laterality or view from text...): said, in small type.
  const otherInferences = slot.inferred.filter((note) => !/orientation/i.test(note));
  // The orientation is said once, by its own note.
  const warnings = slot.warnings.filter((warning) => warning !== DISAGREE_WARNING && warning !== UNKNOWN_WARNING);
  return (
    <div className="hang-notes">
      <div className={`hang-corner ${corner}`}>
        <div className="hang-label" data-view-label title={whyText(slot)}>{bounded(slot.label, 24)}</div>
        {slot.alternatives.length > 0 && (
          <div className="hang-alternatives" data-alternatives={slot.alternatives.length} title={`${slot.alternatives.length} other image${slot.alternatives.length === 1 ? '' : 's'} of this view`}>
            +{slot.alternatives.length} more
          </div>
        )}
        <OrientationNote slot={slot} onOrientation={onOrientation} />
        {otherInferences.length > 0 && (
          <div className="hang-inferred-other" data-inferred title={otherInferences.join('; ')}>{bounded(otherInferences.join('; '), 80)}</div>
        )}
        {warnings.map((warning) => (
          <div key={warning} className="hang-warning" title={warning}>{bounded(warning, 120)}</div>
        ))}
      </div>
      {slot.role === 'prior' && (
        <div className={`hang-corner ${bottom}`}>
          <PriorTag slot={slot} />
        </div>
      )}
      {slot.role === 'current' && (
        <div className={`hang-corner ${bottom}`}>
          <CurrentTag slot={slot} />
        </div>
      )}
      {slot.orientation && needsReaderCheck(slot.orientation.status) && <div className="hang-alert-frame" />}
    </div>
  );
}

/** One cell of a stage: an image placed by the protocol, or a labelled empty cell of the same size. */
export function HangingCell({ slot, content, placement, onOrientation }: Props): ReactElement {
  const element = useRef<HTMLDivElement>(null);
  const active = useViewer((state) => state.activeSlot === slot.slot);
  const linked = useLinked(slot.slot);
  const setActive = useViewer((state) => state.setActiveSlot);
  const status = useViewer((state) => state.slots[slot.slot]);
  const ready = content !== null && placement !== null;
  const key = `${slot.sopInstanceUid ?? ''}:${content?.imageIds.length ?? 0}:${ready}`;

  useEffect(() => {
    const target = element.current;
    if (!target || !content || !placement) {
      return undefined;
    }
    void viewportService.show(slot.slot, target, {
      imageIds: content.imageIds,
      studyInstanceUid: slot.studyInstanceUid ?? '',
      seriesInstanceUid: content.series.seriesInstanceUid,
      modality: content.series.modality,
      slotName: slot.slot,
      placement,
    }, content.initialIndex);
    return () => viewportService.hide(slot.slot);
    // The key stands for the image and readiness; a new placement alone is applied below, not re-shown.
  }, [slot.slot, key]);

  useEffect(() => {
    if (placement) {
      viewportService.setPlacement(slot.slot, placement);
    }
  }, [slot.slot, JSON.stringify(placement)]);

  const classes = ['cell', 'hang-cell', slot.role === 'prior' ? 'prior' : 'current', active ? 'active' : '', linked ? 'linked' : ''].filter(Boolean).join(' ');
  if (slot.empty !== null || !slot.sopInstanceUid) {
    // The empty cell's inner box is where an image would be drawn: the same size, so nothing shifts.
    return (
      <div className={`${classes} empty`}>
        <div className="hang-viewport hang-empty" data-slot={slot.slot} data-study-role={slot.role} data-empty={slot.empty ?? 'empty'}>
          <div className="hang-empty-label">{bounded(slot.empty ?? `No ${slot.label}`, 60)}</div>
        </div>
        {slot.role === 'prior' && slot.studyInstanceUid && (
          <div className="hang-corner bottom-left"><PriorTag slot={slot} /></div>
        )}
      </div>
    );
  }
  return (
    <div className={classes} data-linked={linked} onMouseDown={() => setActive(slot.slot)}>
      <div ref={element} className="viewport hang-viewport" data-viewport={slot.slot} data-slot={slot.slot} data-study-role={slot.role} onContextMenu={(event) => event.preventDefault()} />
      <CellNotes slot={slot} onOrientation={onOrientation} />
      <LinkBadge slot={slot.slot} />
      {!content && <div className="viewport-message loading">Loading…</div>}
      {status?.status === 'error' && <div className="viewport-message" role="alert">{status.error}</div>}
      {status?.status === 'loading' && <div className="viewport-message loading">Loading…</div>}
    </div>
  );
}
