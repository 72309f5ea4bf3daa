import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse } from '../../../../shared/api/schemas.ts';
import type { ResolvedLayout, ResolvedSlot } from '../../../../shared/hanging/layout.ts';
import { DISAGREE_WARNING, UNKNOWN_WARNING } from '../../../../shared/hanging/mammo-orientation.ts';
import { formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { api } from '../../api/api.ts';
import { imageIdsOf, instanceImageIds } from '../../imaging/image-ids.ts';
import type { CellSize } from '../../imaging/placement.ts';
import { syncService, useSync } from '../../imaging/sync-service.ts';
import { viewportService } from '../../imaging/viewport-service.ts';
import { useViewer } from '../../state/viewer.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { handleViewerKey } from '../viewer/image-keys.ts';
import { HANGING_KEYS } from '../viewer/shortcuts.ts';
import { ShortcutHelp } from '../viewer/ShortcutHelp.tsx';
import { LinkButton } from '../viewer/LinkControls.tsx';
import { HangingCell } from './HangingCell.tsx';
import type { CellContent } from './HangingCell.tsx';
import { fetchLayout } from './hanging-api.ts';
import type { LayoutRequest } from './hanging-api.ts';
import { FACILITY_LIMIT, SCALE_MODES, bounded, placementsFor, steppedPrior, steppedStage, syncGroupsOf, syncInfoOf } from './hanging-layout.ts';
import type { ImageSizes, ScaleMode } from './hanging-layout.ts';
import { SaveArrangement } from './SaveArrangement.tsx';
import { ReportToggle } from '../report/ReportPane.tsx';
import { useFindingFromImage } from './finding-click.ts';
import { useHung } from './hung-state.ts';
import './hanging.css';

type StudyDetail = ApiResponse<'getStudy'>;

interface Props {
  studyInstanceUid: string;
  onSeriesViewer(): void;
  onClose(): void;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * What a slot shows from the studies' details: mammography hangs one instance per cell (a view has
 * laterality and view), cross-sectional protocols a whole series opened on the slot's image.
 */
function contentOf(slot: ResolvedSlot, details: Record<string, StudyDetail>): CellContent | null {
  const series = details[slot.studyInstanceUid ?? '']?.series.find((s) => s.seriesInstanceUid === slot.seriesInstanceUid);
  const instance = series?.instances.find((i) => i.sopInstanceUid === slot.sopInstanceUid);
  if (!series || !instance) {
    return null;
  }
  if (slot.view !== null) {
    return { series, imageIds: instanceImageIds(series, instance), initialIndex: 0 };
  }
  const imageIds = imageIdsOf(series);
  return { series, imageIds, initialIndex: Math.max(0, imageIds.findIndex((id) => id.includes(`/dicom/${instance.sopInstanceUid}`))) };
}

/** A stage status line about an orientation the reader must check: shown as red as the cell's warning. */
function isOrientationAlert(warning: string): boolean {
  return warning.includes(DISAGREE_WARNING) || warning.includes(UNKNOWN_WARNING);
}

function priorText(prior: { studyDate: string; facility: string }): string {
  return `${formatDicomDate(prior.studyDate) || 'date unknown'} · ${bounded(prior.facility, FACILITY_LIMIT) || 'facility unknown'}`;
}

/** Fit, true pixels or same size for the whole stage; "as hung" is the protocol's own scale. */
function ScaleModeChoice({ mode, onChange }: { mode: ScaleMode | null; onChange(mode: ScaleMode | null): void }): ReactElement {
  return (
    <select aria-label="Scale" title="How large the stage's images are drawn" value={mode ?? ''} onChange={(event) => onChange((event.target.value || null) as ScaleMode | null)}>
      <option value="">Scale: as hung</option>
      {SCALE_MODES.map(({ mode: value, label }) => <option key={value} value={value}>Scale: {label}</option>)}
    </select>
  );
}

/** Takes the active cell out of the stage-wide window (or back): W/L set in any mammogram reaches all the linked ones. */
function WindowLinkButton(): ReactElement {
  const active = useViewer((state) => state.activeSlot);
  const unlinked = useSync((state) => (active ? state.windowUnlinked.includes(active) : false));
  // Always there (disabled where it cannot act), so the toolbar never reflows the stage under the reader.
  const applies = active !== null && syncService.inStageWindow(active);
  return (
    <button
      type="button"
      aria-pressed={unlinked}
      disabled={!applies}
      title="W/L set in one mammogram applies to every linked mammogram of the stage; this takes the active cell out of it, or back (U)"
      onClick={() => active && syncService.toggleWindowLink(active)}
    >
      {unlinked ? 'W/L: this cell only' : 'W/L: whole stage'}
    </button>
  );
}

/** The study hung by its protocol, stage by stage, with the chosen prior. */
export function HangingView({ studyInstanceUid, onSeriesViewer, onClose }: Props): ReactElement {
  const [request, setRequest] = useState<LayoutRequest>({ studyInstanceUid });
  /** The layout last resolved, and the one on screen: a new one is shown once its studies' details are here. */
  const [resolved, setResolved] = useState<ResolvedLayout | null>(null);
  const [layout, setLayout] = useState<ResolvedLayout | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [details, setDetails] = useState<Record<string, StudyDetail>>({});
  const [cells, setCells] = useState<ReadonlyMap<string, CellSize>>(new Map());
  const grid = useRef<HTMLDivElement>(null);
  const tool = useViewer((state) => state.tool);
  const setActiveSlot = useViewer((state) => state.setActiveSlot);
  const toggleHelp = useViewer((state) => state.toggleHelp);
  const helpOpen = useViewer((state) => state.helpOpen);

  useEffect(() => {
    let current = true;
    fetchLayout(request).then(
      (next) => current && setResolved(next),
      (e: unknown) => current && setError(message(e)),
    );
    return () => {
      current = false;
    };
  }, [request]);

  // The details (series, instances, sizes, calibration) of every study the stage hangs.
  const studies = useMemo(
    () => [...new Set([studyInstanceUid, ...(resolved?.slots.map((slot) => slot.studyInstanceUid) ?? [])])].filter((uid): uid is string => Boolean(uid)),
    [resolved, studyInstanceUid],
  );
  const asked = useRef(new Set<string>());
  useEffect(() => {
    for (const uid of studies) {
      if (!asked.current.has(uid)) {
        asked.current.add(uid);
        api.getStudy({ studyInstanceUid: uid }).then(
          (loaded) => setDetails((known) => ({ ...known, [uid]: loaded })),
          (e: unknown) => setError(message(e)),
        );
      }
    }
  }, [studies]);
  // The stage on screen stays until the next one can be drawn whole: cells showing the same image
  // as before (the current row when the prior changes) are not reloaded.
  const resolvedReady = resolved !== null && studies.every((uid) => details[uid]);
  useEffect(() => {
    if (resolvedReady) {
      setLayout(resolved);
    }
  }, [resolvedReady, resolved]);

  const sizes = useMemo<ImageSizes>(() => {
    const known = new Map<string, { rows: number; columns: number }>();
    for (const detail of Object.values(details)) {
      for (const series of detail.series) {
        for (const instance of series.instances) {
          if (instance.rows && instance.columns) {
            known.set(instance.sopInstanceUid, { rows: instance.rows, columns: instance.columns });
          }
        }
      }
    }
    return known;
  }, [details]);

  /** Each viewport's size as laid out now: the stage's common scale is computed from them. */
  const measure = useCallback((): void => {
    const found = new Map<string, CellSize>();
    for (const element of grid.current?.querySelectorAll<HTMLElement>('[data-viewport]') ?? []) {
      found.set(element.dataset.viewport ?? '', { width: element.clientWidth, height: element.clientHeight });
    }
    setCells((before) => (JSON.stringify([...before]) === JSON.stringify([...found]) ? before : found));
  }, []);
  // A new stage changes the grid, not the grid's own size: the canvases are resized here, not by the observer.
  useLayoutEffect(() => {
    viewportService.resize(true);
    measure();
  }, [layout, measure]);
  useEffect(() => {
    const target = grid.current;
    if (!target) {
      return undefined;
    }
    const observer = new ResizeObserver(() => {
      viewportService.resize(true);
      measure();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [layout !== null, measure]);

  // What sits beside the stage (report pane, safety header) reads the stage from here.
  useEffect(() => useHung.getState().publish(layout, details), [layout, details]);
  useEffect(() => () => useHung.getState().publish(null, {}), []);
  useFindingFromImage(grid, layout !== null);

  // The reader's scale for the stage shown (null: as its protocol hangs it); a new stage starts as hung.
  const [scaleMode, setScaleMode] = useState<ScaleMode | null>(null);
  const stageKey = layout ? `${layout.protocol.id}/${layout.stage.id}` : '';
  useEffect(() => setScaleMode(null), [stageKey]);
  const placements = useMemo(() => (layout ? placementsFor(layout, cells, sizes, scaleMode) : new Map()), [layout, cells, sizes, scaleMode]);

  // The one hand-off to the sync service: the stage's groups with their slot names.
  useEffect(() => {
    if (layout) {
      syncService.configure(syncGroupsOf(layout), syncInfoOf(layout));
    }
  }, [layout]);
  useEffect(() => () => syncService.clear(), []);

  useEffect(() => viewportService.applyTool(tool), [tool]);
  useEffect(() => {
    const first = layout?.slots.find((slot) => slot.empty === null);
    if (first) {
      setActiveSlot(first.slot);
    }
  }, [layout, setActiveSlot]);

  // The reader's flip or keep of an image whose orientation she checked: kept, then the stage hangs again.
  const chooseOrientation = useCallback((sopInstanceUid: string, chestWallSide: 'left' | 'right', choice: 'flip' | 'keep') => {
    api.chooseOrientation({ sopInstanceUid, chestWallSide, choice }).then(
      () => setRequest((before) => ({ ...before })),
      (e: unknown) => setError(message(e)),
    );
  }, []);

  const goToStage = useCallback((stage: number | null) => {
    if (stage !== null) {
      setRequest((before) => ({ ...before, stage }));
    }
  }, []);
  const goToPrior = useCallback((prior: string | null) => {
    if (prior !== null) {
      setRequest((before) => ({ ...before, priorStudyInstanceUid: prior }));
    }
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement || event.ctrlKey || event.metaKey || event.altKey || !layout) {
        return;
      }
      const key = event.key;
      const slots = layout.slots.filter((slot) => slot.empty === null).map((slot) => slot.slot);
      const handled = ((): boolean => {
        if (key === HANGING_KEYS.nextStage || key === HANGING_KEYS.previousStage) {
          goToStage(steppedStage(layout, key === HANGING_KEYS.nextStage ? 1 : -1));
        } else if (key === HANGING_KEYS.olderPrior || key === HANGING_KEYS.newerPrior) {
          goToPrior(steppedPrior(layout, key === HANGING_KEYS.olderPrior ? 1 : -1));
        } else if (key.toLowerCase() === HANGING_KEYS.findingFromImage) {
          useHung.getState().toggleFindingMode();
        } else if (key.toLowerCase() === HANGING_KEYS.windowLink) {
          const active = useViewer.getState().activeSlot;
          if (active) {
            syncService.toggleWindowLink(active);
          }
        } else {
          return handleViewerKey(key, slots);
        }
        return true;
      })();
      if (handled) {
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [layout, goToStage, goToPrior]);

  if (error && !layout) {
    return (
      <div className="panel">
        <p className="error" role="alert">{error}</p>
        <button type="button" onClick={onSeriesViewer}>Series viewer</button>
        <button type="button" onClick={onClose}>Back to the library</button>
      </div>
    );
  }
  if (!layout) {
    return <p className="note">Hanging the study…</p>;
  }
  const study = details[studyInstanceUid]?.study;
  return (
    <div className="hanging" data-protocol={layout.protocol.id} data-stage={layout.stage.number}>
      <div className="toolbar hang-bar" role="toolbar" aria-label="Hanging">
        <button type="button" onClick={onClose}>← Library</button>
        {study && (
          <span className="hang-patient" title={plainText(study.patientId)}>
            <span className="strong">{formatPersonName(study.patientName) || '(no name)'}</span>{' '}
            <span className="muted">{formatDicomDate(study.studyDate)}</span>
          </span>
        )}
        <select
          aria-label="Protocol"
          value={layout.protocol.id}
          onChange={(event) => setRequest({ studyInstanceUid, protocolId: event.target.value })}
        >
          {layout.candidates.some((candidate) => candidate.id === layout.protocol.id) ? null : (
            <option value={layout.protocol.id}>{layout.protocol.name}</option>
          )}
          {layout.candidates.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>{candidate.name}</option>
          ))}
        </select>
        <nav className="stage-bar" aria-label="Stages">
          {layout.stages.map((stage) => (
            <button
              key={stage.id}
              type="button"
              className={`stage ${stage.status}${stage.number === layout.stage.number ? ' current' : ''}`}
              data-stage-status={stage.status}
              aria-current={stage.number === layout.stage.number ? 'step' : undefined}
              disabled={stage.status === 'disabled'}
              title={`${stage.name} (${stage.status})`}
              onClick={() => goToStage(stage.number)}
            >
              {stage.number} {stage.name}
            </button>
          ))}
        </nav>
        {layout.priors.length > 0 && (
          <span className="prior-choice">
            <button type="button" title="Newer prior ({)" disabled={steppedPrior(layout, -1) === null} onClick={() => goToPrior(steppedPrior(layout, -1))}>‹</button>
            <select
              aria-label="Prior"
              title={layout.prior ? bounded(`Why this prior: ${layout.prior.reason}`, 300) : 'No prior hung'}
              value={layout.prior?.studyInstanceUid ?? ''}
              onChange={(event) => goToPrior(event.target.value)}
            >
              {layout.prior ? null : <option value="">No prior</option>}
              {layout.priors.map((prior) => (
                <option key={prior.studyInstanceUid} value={prior.studyInstanceUid}>Prior {priorText(prior)}</option>
              ))}
            </select>
            <button type="button" title="Older prior (})" disabled={steppedPrior(layout, 1) === null} onClick={() => goToPrior(steppedPrior(layout, 1))}>›</button>
          </span>
        )}
        {layout.additional.length > 0 && (
          <details className="hang-additional">
            <summary>Not hung ({layout.additional.length})</summary>
            <ul>
              {layout.additional.map((item) => (
                <li key={`${item.seriesInstanceUid}/${item.sopInstanceUid ?? ''}`}>{bounded(item.label, 60)}: {bounded(item.reason, 160)}</li>
              ))}
            </ul>
          </details>
        )}
        <SaveArrangement layout={layout} />
        <a href="#/protocols" className="button-link">Protocols</a>
        <button type="button" onClick={onSeriesViewer} title="The plain series viewer of this study">Series viewer</button>
        <LinkButton />
        <ScaleModeChoice mode={scaleMode} onChange={setScaleMode} />
        <WindowLinkButton />
        <button type="button" onClick={() => toggleHelp()} aria-expanded={helpOpen}>Shortcuts</button>
        <ReportToggle />
      </div>
      {error && (
        <div className="banner error" role="alert">
          <span>{bounded(error, 300)}</span>
          <button type="button" onClick={() => setError(null)}>Dismiss</button>
        </div>
      )}
      {layout.warnings.length > 0 && (
        <div className="hang-warnings" role="status">
          {layout.warnings.map((warning) => (
            <div key={warning} className={isOrientationAlert(warning) ? 'orientation-alert' : undefined}>{bounded(warning, 300)}</div>
          ))}
        </div>
      )}
      <div
        ref={grid}
        className="grid hang-grid"
        data-rows={layout.grid.rows}
        data-columns={layout.grid.columns}
        style={{ gridTemplateColumns: `repeat(${layout.grid.columns}, 1fr)`, gridTemplateRows: `repeat(${layout.grid.rows}, 1fr)` }}
      >
        {layout.slots.map((slot) => (
          <HangingCell
            // An empty cell is a new element: never the viewport element cornerstone wrote into.
            key={`${slot.slot}:${slot.empty === null ? 'image' : 'empty'}`}
            slot={slot}
            content={contentOf(slot, details)}
            placement={cells.has(slot.slot) ? (placements.get(slot.slot) ?? null) : null}
            onOrientation={chooseOrientation}
          />
        ))}
      </div>
      <ShortcutHelp />
    </div>
  );
}
