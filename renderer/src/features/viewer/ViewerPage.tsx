import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { ApiResponse, Series } from '../../../../shared/api/schemas.ts';
import { api } from '../../api/api.ts';
import { imageIdsOf, representativeImageId } from '../../imaging/image-ids.ts';
import { currentRenderer, initImaging } from '../../imaging/init.ts';
import type { RendererInfo } from '../../imaging/init.ts';
import { WINDOW_PRESETS, viewportService } from '../../imaging/viewport-service.ts';
import { syncService } from '../../imaging/sync-service.ts';
import { useViewer } from '../../state/viewer.ts';
import type { ToolName } from '../../state/viewer.ts';
import { formatHeaderText, formatPersonName, plainText } from '../../../../shared/dicom/display-text.ts';
import { formatDicomDate } from '../../ui/format.ts';
import { ShortcutHelp } from './ShortcutHelp.tsx';
import { handleViewerKey } from './image-keys.ts';
import { SeriesThumbnail } from '../../ui/SeriesThumbnail.tsx';
import { ViewportCell } from './ViewportCell.tsx';
import { LinkButton } from './LinkControls.tsx';
import { DocumentBadge } from './DocumentBadge.tsx';
import { DocumentCell } from './DocumentCell.tsx';
import { isDocumentSeries, openableSeries } from './documents.ts';
import { ReportPane, ReportToggle } from '../report/ReportPane.tsx';
import { PatientSafetyHeader } from '../../ui/PatientSafetyHeader.tsx';

type StudyDetail = ApiResponse<'getStudy'>;

interface SlotAssignment {
  study: string;
  series: string;
}

const LAYOUTS: Record<string, [number, number]> = { '1x1': [1, 1], '1x2': [1, 2], '2x2': [2, 2] };
const TOOLS: [ToolName, string][] = [
  ['WindowLevel', 'W/L'],
  ['Pan', 'Pan'],
  ['Zoom', 'Zoom'],
  ['Length', 'Length'],
  ['Angle', 'Angle'],
  ['EllipticalROI', 'Ellipse'],
  ['RectangleROI', 'Rectangle'],
  ['Probe', 'Probe'],
  ['Magnify', 'Magnifier'],
];

interface Props {
  studyInstanceUid: string;
  /** Open on this image (its series in the first viewport). */
  sopInstanceUid?: string | null;
  onClose(): void;
  /** Offered when a hanging protocol can hang this study: back to the hanging view. */
  onHang?: () => void;
}

export function ViewerPage({ studyInstanceUid, sopInstanceUid = null, onClose, onHang }: Props): ReactElement {
  const [details, setDetails] = useState<Record<string, StudyDetail>>({});
  const detail = details[studyInstanceUid] ?? null;
  const [error, setError] = useState<string | null>(null);
  const [layout, setLayout] = useState<keyof typeof LAYOUTS>('1x1');
  /** Each viewport's series, by study: another study of the patient can sit beside this one. */
  const [assigned, setAssigned] = useState<Record<string, SlotAssignment>>({});
  const grid = useRef<HTMLDivElement>(null);
  /** Viewports showing a document: there the arrow, page and space keys scroll the document itself. */
  const documentSlots = useRef(new Set<string>());
  const tool = useViewer((state) => state.tool);
  const setTool = useViewer((state) => state.setTool);
  const activeSlot = useViewer((state) => state.activeSlot);
  const setActiveSlot = useViewer((state) => state.setActiveSlot);
  const helpOpen = useViewer((state) => state.helpOpen);
  const toggleHelp = useViewer((state) => state.toggleHelp);

  const loadStudy = useCallback(async (uid: string): Promise<StudyDetail> => {
    const loaded = await api.getStudy({ studyInstanceUid: uid });
    setDetails((current) => ({ ...current, [uid]: loaded }));
    return loaded;
  }, []);

  useEffect(() => {
    loadStudy(studyInstanceUid).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [studyInstanceUid, loadStudy]);

  /** Until hanging protocols arrive: another study of the patient in the right viewport of a 1x2. */
  const sideBySide = useCallback(
    (otherUid: string): void => {
      loadStudy(otherUid).then(
        (other) => {
          const series = other.series.find((s) => s.instances.some((i) => i.displayable));
          if (!series) {
            setError('That study holds no image Concord can display.');
            return;
          }
          setLayout('1x2');
          setAssigned((current) => ({ ...current, 'vp-1': { study: otherUid, series: series.seriesInstanceUid } }));
        },
        (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
      );
    },
    [loadStudy],
  );

  const [rows, columns] = LAYOUTS[layout] as [number, number];
  const slots = useMemo(() => Array.from({ length: rows * columns }, (_, i) => `vp-${i}`), [rows, columns]);

  // Every viewport of the grid in one set of groups: slices follow within a frame of reference, or
  // through the reader's link across studies; zoom and pan follow relative to each image's fit.
  useEffect(() => {
    syncService.configure([
      { id: 'slice-position', kind: 'slice-position', slots },
      { id: 'slice-link', kind: 'slice-manual', slots },
      { id: 'zoom-pan', kind: 'zoom-pan', slots },
    ]);
  }, [slots]);
  useEffect(() => () => syncService.clear(), []);

  // Fill empty slots with the displayable series in order.
  useEffect(() => {
    if (!detail) {
      return;
    }
    // Image series, or a study's reports and PDFs when it has no images (documents.ts).
    const displayable = openableSeries(detail.series, sopInstanceUid);
    setAssigned((current) => {
      const next = { ...current };
      slots.forEach((slot, index) => {
        const series = displayable[index] ?? displayable[0];
        if (!next[slot] && series) {
          next[slot] = { study: studyInstanceUid, series: series.seriesInstanceUid };
        }
      });
      return next;
    });
    // A smaller grid leaves no viewport behind the keyboard: the first one becomes active.
    if (!slots.includes(useViewer.getState().activeSlot ?? '')) {
      setActiveSlot('vp-0');
    }
  }, [detail, slots, setActiveSlot, sopInstanceUid, studyInstanceUid]);

  useEffect(() => viewportService.applyTool(tool), [tool]);
  // A new grid fits every image to its new cell; a resized window keeps each viewport's magnification.
  useEffect(() => {
    const frame = requestAnimationFrame(() => viewportService.resize(true));
    return () => cancelAnimationFrame(frame);
  }, [layout]);
  useEffect(() => {
    const target = grid.current;
    if (!target) {
      return undefined;
    }
    let first = true;
    const observer = new ResizeObserver(() => {
      if (!first) {
        viewportService.resize(false);
      }
      first = false;
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [detail]);

  const act = useCallback(
    (action: (slot: string) => void): void => {
      const slot = useViewer.getState().activeSlot ?? 'vp-0';
      action(slot);
    },
    [],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      const reading = documentSlots.current.has(useViewer.getState().activeSlot ?? '');
      if (reading && ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End', ' '].includes(event.key)) {
        return;
      }
      const key = event.key;
      let handled = true;
      if (key === 'f' || key === 'F') {
        void grid.current?.requestFullscreen?.();
      } else {
        handled = handleViewerKey(key, slots);
      }
      if (handled) {
        event.preventDefault();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [slots]);

  if (error) {
    return (
      <div className="panel">
        <p className="error" role="alert">{error}</p>
        <button type="button" onClick={onClose}>Back to the library</button>
      </div>
    );
  }
  if (!detail) {
    return <p className="note">Loading study…</p>;
  }
  const seriesOf = (assignment: SlotAssignment | undefined): { study: StudyDetail; series: Series } | null => {
    const owner = assignment ? details[assignment.study] : undefined;
    const series = owner?.series.find((s) => s.seriesInstanceUid === assignment?.series);
    return owner && series ? { study: owner, series } : null;
  };

  return (
    <div className="viewer">
      <aside className="series-list" aria-label="Series">
        <button type="button" onClick={onClose}>← Library</button>
        <div className="study-head">
          <div className="strong">{formatPersonName(detail.study.patientName) || '(no name)'}</div>
          <div className="muted">{plainText(detail.study.patientId)} · {formatDicomDate(detail.study.studyDate)}</div>
          <div className="muted">{formatHeaderText(detail.study.studyDescription)}</div>
        </div>
        {detail.series.map((series) => {
          const images = series.instances.filter((i) => i.displayable).length;
          return (
            <button
              key={series.seriesInstanceUid}
              type="button"
              className={activeSlot && assigned[activeSlot]?.series === series.seriesInstanceUid ? 'series current' : 'series'}
              data-series-uid={series.seriesInstanceUid}
              disabled={series.instances.length === 0}
              title={images === 0 ? 'Show the document in the active viewport' : 'Show in the active viewport'}
              onClick={() => activeSlot && setAssigned((current) => ({ ...current, [activeSlot]: { study: studyInstanceUid, series: series.seriesInstanceUid } }))}
            >
              {isDocumentSeries(series) ? <DocumentBadge series={series} /> : <SeriesThumbnail imageId={images > 0 ? representativeImageId(series) : null} />}
              <span className="strong">{series.modality} {series.seriesNumber ?? ''}</span>
              <span>{formatHeaderText(series.seriesDescription) || '(no description)'}</span>
              <span className="muted">
                {series.instances.length} instance{series.instances.length === 1 ? '' : 's'}
                {images > 0 && images < series.instances.length ? `, ${series.instances.length - images} not images` : ''}
              </span>
            </button>
          );
        })}
        {detail.otherStudies.length > 0 && (
          <section className="priors" aria-label="Other studies of this patient">
            <h3>Other studies of this patient</h3>
            {detail.otherStudies.map((other) => (
              <div key={other.studyInstanceUid} className="other-study" data-study-uid={other.studyInstanceUid}>
                <a href={`#/viewer/${other.studyInstanceUid}`} title="Open this study">
                  {formatDicomDate(other.studyDate) || '(no date)'} {other.modalities.join(', ')} {formatHeaderText(other.studyDescription)}
                </a>
                <button type="button" className="small" onClick={() => sideBySide(other.studyInstanceUid)} title="Show beside this study (1x2)">
                  Side by side
                </button>
              </div>
            ))}
          </section>
        )}
      </aside>
      <section className="viewer-main">
        <PatientSafetyHeader current={detail.study} studyWord="Study" />
        <div className="toolbar" role="toolbar" aria-label="Viewer tools">
          {TOOLS.map(([name, label]) => (
            <button key={name} type="button" className={tool === name ? 'tool active' : 'tool'} aria-pressed={tool === name} onClick={() => setTool(name)}>
              {label}
            </button>
          ))}
          <select
            aria-label="Window preset"
            value=""
            onChange={(event) => {
              const preset = WINDOW_PRESETS[Number(event.target.value)];
              if (preset) {
                act((slot) => viewportService.applyPreset(slot, preset));
              }
            }}
          >
            <option value="">Window presets…</option>
            {WINDOW_PRESETS.map(({ label }, index) => (
              <option key={label} value={index}>{label}</option>
            ))}
          </select>
          <button type="button" onClick={() => act((slot) => viewportService.toggleInvert(slot))}>Invert</button>
          <button type="button" onClick={() => act((slot) => viewportService.flip(slot, 'horizontal'))}>Flip H</button>
          <button type="button" onClick={() => act((slot) => viewportService.flip(slot, 'vertical'))}>Flip V</button>
          <button type="button" onClick={() => act((slot) => viewportService.rotate(slot, 90))}>Rotate</button>
          <button type="button" onClick={() => act((slot) => viewportService.actualPixels(slot))}>1:1</button>
          <button type="button" onClick={() => act((slot) => viewportService.toggleCine(slot))}>Cine</button>
          <button type="button" onClick={() => act((slot) => viewportService.reset(slot))}>Reset</button>
          <LinkButton />
          <select aria-label="Layout" value={layout} onChange={(event) => setLayout(event.target.value as keyof typeof LAYOUTS)}>
            {Object.keys(LAYOUTS).map((name) => (
              <option key={name} value={name}>{name}</option>
            ))}
          </select>
          <button type="button" onClick={() => void grid.current?.requestFullscreen?.()}>Full screen</button>
          <button type="button" onClick={() => window.open(`${location.origin}/#/viewer/${studyInstanceUid}`, '_blank', 'popup')}>
            New window
          </button>
          <button type="button" onClick={() => toggleHelp()} aria-expanded={helpOpen}>Shortcuts</button>
          {onHang && <button type="button" onClick={onHang} title="Hang the study by its protocol, with its prior">Hang</button>}
          <ReportToggle />
          <RenderingNotice />
        </div>
        <div ref={grid} className="grid" style={{ gridTemplateColumns: `repeat(${columns}, 1fr)`, gridTemplateRows: `repeat(${rows}, 1fr)` }}>
          {slots.map((slot) => {
            const shown = seriesOf(assigned[slot]);
            const imageIds = shown ? imageIdsOf(shown.series) : [];
            const initialIndex = sopInstanceUid ? Math.max(0, imageIds.findIndex((id) => id.includes(`/dicom/${sopInstanceUid}`))) : 0;
            const isDocument = Boolean(shown && isDocumentSeries(shown.series));
            documentSlots.current[isDocument ? 'add' : 'delete'](slot);
            if (shown && isDocument) {
              return <DocumentCell key={slot} slot={slot} series={shown.series} sopInstanceUid={sopInstanceUid} />;
            }
            return (
              <ViewportCell key={slot} slot={slot} study={shown?.study.study ?? detail.study} series={shown?.series ?? null} imageIds={imageIds} initialIndex={initialIndex} />
            );
          })}
        </div>
        <ShortcutHelp />
      </section>
      <ReportPane studyInstanceUid={studyInstanceUid} modalities={detail.study.modalities} />
    </div>
  );
}

/**
 * Says when images are drawn without a GPU (a virtual desktop, a remote session, a missing driver):
 * the pixels are the same, but scrolling and zooming are slower, which the reader and IT should know.
 */
function RenderingNotice(): ReactElement | null {
  const [info, setInfo] = useState<RendererInfo | null>(currentRenderer());
  useEffect(() => {
    void initImaging().then(() => setInfo(currentRenderer()));
  }, []);
  if (!info || info.accelerated) {
    return null;
  }
  const detail =
    info.mode === 'cpu'
      ? 'No WebGL: images are drawn on the CPU.'
      : `WebGL runs on a software rasterizer (${info.webglRenderer || 'unknown'}), not a GPU.`;
  return (
    <span className="render-notice" role="status" title={`${detail} Images are exact; scrolling and zooming are slower than on a GPU.`}>
      No GPU: software rendering
    </span>
  );
}
