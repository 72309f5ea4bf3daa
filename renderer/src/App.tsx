import { useCallback, useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import { ImportPage } from './features/import/ImportPage.tsx';
import { LibraryPage } from './features/library/LibraryPage.tsx';
import { NeedsAttentionPage } from './features/library/NeedsAttentionPage.tsx';
import { ReadOnlyBanner } from './features/library/ReadOnlyBanner.tsx';
import { ViewerPage } from './features/viewer/ViewerPage.tsx';
import { HangingWorkspace } from './features/hanging/HangingWorkspace.tsx';
import { StudyOpener } from './features/hanging/StudyOpener.tsx';
import { ProtocolsPage } from './features/hanging/ProtocolsPage.tsx';
import { PatientPage } from './features/patients/PatientPage.tsx';
import { OverviewPage } from './features/concordance/OverviewPage.tsx';
import { connectEvents, useWorkstation } from './state/store.ts';
import { confirmLeaving } from './ui/leave-guard.ts';
import type { Page } from './state/store.ts';

const PAGES: { id: Page; label: string }[] = [
  { id: 'import', label: 'Import' },
  { id: 'library', label: 'Library' },
  { id: 'concordance', label: 'Concordance' },
];

/**
 * `#/viewer/<Study Instance UID>[/<SOP Instance UID>]` opens a study (on an image): also in a second
 * window for a second monitor.
 */
function viewerTargetFromHash(): { study: string; sop: string | null } | null {
  const match = /^#\/viewer\/([0-9.]{1,64})(?:\/([0-9.]{1,64}))?$/.exec(window.location.hash);
  return match ? { study: match[1] as string, sop: match[2] ?? null } : null;
}

/**
 * `#/hang/<Study Instance UID>`: the study hung by its protocol; `#/study/<Study Instance UID>`: opened
 * from the worklist, hung when a protocol applies, else in the series viewer.
 */
function studyRouteFromHash(): { mode: 'hang' | 'open'; study: string } | null {
  const match = /^#\/(hang|study)\/([0-9.]{1,64})$/.exec(window.location.hash);
  return match ? { mode: match[1] === 'hang' ? 'hang' : 'open', study: match[2] as string } : null;
}

/** `#/protocols`: the reader's hanging protocols and preferences. */
const protocolsFromHash = (): boolean => window.location.hash === '#/protocols';

/** `#/patient/<local patient number>`: the patient page (studies across facilities, identities, proposals). */
function patientFromHash(): number | null {
  const match = /^#\/patient\/([1-9][0-9]{0,15})$/.exec(window.location.hash);
  return match ? Number(match[1]) : null;
}

/** `#/concordance`: the concordance overview, linkable like the viewer. */
const OVERVIEW_HASH = '#/concordance';

export function App(): ReactElement {
  const page = useWorkstation((state) => state.page);
  const setPage = useWorkstation((state) => state.setPage);
  const error = useWorkstation((state) => state.error);
  const clearError = useWorkstation((state) => state.clearError);
  const [viewing, setViewing] = useState(viewerTargetFromHash());
  const [patient, setPatient] = useState(patientFromHash());
  const [studyRoute, setStudyRoute] = useState(studyRouteFromHash());
  const [protocols, setProtocols] = useState(protocolsFromHash());

  useEffect(() => {
    void useWorkstation.getState().refreshStudies();
    void useWorkstation.getState().refreshUnfiled();
    // Where the app is: a route change that would lose unsaved work is asked about, and undone if the reader stays.
    let currentHash = window.location.hash;
    const onHash = (): void => {
      if (window.location.hash !== currentHash && !confirmLeaving()) {
        window.history.replaceState(null, '', currentHash === '' ? `${window.location.pathname}${window.location.search}` : currentHash);
        return;
      }
      currentHash = window.location.hash;
      if (window.location.hash === OVERVIEW_HASH) {
        useWorkstation.getState().setPage('concordance');
      }
      setViewing(viewerTargetFromHash());
      setPatient(patientFromHash());
      setStudyRoute(studyRouteFromHash());
      setProtocols(protocolsFromHash());
    };
    onHash();
    window.addEventListener('hashchange', onHash);
    const disconnect = connectEvents();
    return () => {
      window.removeEventListener('hashchange', onHash);
      disconnect();
    };
  }, []);

  const open = (studyInstanceUid: string): void => {
    window.location.hash = `#/study/${studyInstanceUid}`;
  };
  const show = (mode: 'hang' | 'series', studyInstanceUid: string): void => {
    window.location.hash = `#/${mode === 'hang' ? 'hang' : 'viewer'}/${studyInstanceUid}`;
  };
  const onDecided = useCallback((mode: 'hang' | 'series') => {
    const route = studyRouteFromHash();
    if (route) {
      window.location.replace(`#/${mode === 'hang' ? 'hang' : 'viewer'}/${route.study}`);
    }
  }, []);
  const close = (): void => {
    window.location.hash = '';
    setPage('library');
  };

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Concord</span>
        <nav aria-label="Pages">
          {PAGES.map((entry) => (
            <button
              key={entry.id}
              type="button"
              className={!viewing && !studyRoute && !protocols && patient === null && (entry.id === page || (entry.id === 'library' && page === 'attention')) ? 'tab active' : 'tab'}
              aria-current={!viewing && !studyRoute && !protocols && patient === null && entry.id === page ? 'page' : undefined}
              onClick={() => {
                window.location.hash = entry.id === 'concordance' ? OVERVIEW_HASH : '';
                setPage(entry.id);
              }}
            >
              {entry.label}
            </button>
          ))}
        </nav>
      </header>
      <ReadOnlyBanner />
      {error && (
        <div className="banner error" role="alert">
          <span>{error}</span>
          <button type="button" onClick={clearError}>
            Dismiss
          </button>
        </div>
      )}
      <main className={viewing || studyRoute ? 'viewing' : undefined}>
        {viewing ? (
          <ViewerPage
            key={`${viewing.study}/${viewing.sop ?? ''}`}
            studyInstanceUid={viewing.study}
            sopInstanceUid={viewing.sop}
            onClose={close}
            onHang={() => show('hang', viewing.study)}
          />
        ) : studyRoute?.mode === 'hang' ? (
          <HangingWorkspace key={studyRoute.study} studyInstanceUid={studyRoute.study} onSeriesViewer={() => show('series', studyRoute.study)} onClose={close} />
        ) : protocols ? (
          <ProtocolsPage onBack={() => window.history.back()} />
        ) : studyRoute?.mode === 'open' ? (
          <StudyOpener key={studyRoute.study} studyInstanceUid={studyRoute.study} onDecided={onDecided} />
        ) : patient !== null ? (
          <PatientPage key={patient} patientId={patient} />
        ) : page === 'import' ? (
          <ImportPage />
        ) : page === 'concordance' ? (
          <OverviewPage />
        ) : page === 'attention' ? (
          <NeedsAttentionPage onBack={() => setPage('library')} />
        ) : (
          <LibraryPage onOpen={(study) => open(study.studyInstanceUid)} />
        )}
      </main>
    </div>
  );
}
