import { useEffect } from 'react';
import type { ReactElement } from 'react';
import { ImportPage } from './features/import/ImportPage.tsx';
import { LibraryPage } from './features/library/LibraryPage.tsx';
import { connectEvents, useWorkstation } from './state/store.ts';
import type { Page } from './state/store.ts';

const PAGES: { id: Page; label: string }[] = [
  { id: 'import', label: 'Import' },
  { id: 'library', label: 'Library' },
];

export function App(): ReactElement {
  const page = useWorkstation((state) => state.page);
  const setPage = useWorkstation((state) => state.setPage);
  const error = useWorkstation((state) => state.error);
  const clearError = useWorkstation((state) => state.clearError);

  useEffect(() => {
    void useWorkstation.getState().refreshStudies();
    return connectEvents();
  }, []);

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">Concord</span>
        <nav aria-label="Pages">
          {PAGES.map((entry) => (
            <button
              key={entry.id}
              type="button"
              className={entry.id === page ? 'tab active' : 'tab'}
              aria-current={entry.id === page ? 'page' : undefined}
              onClick={() => setPage(entry.id)}
            >
              {entry.label}
            </button>
          ))}
        </nav>
      </header>
      {error && (
        <div className="banner error" role="alert">
          <span>{error}</span>
          <button type="button" onClick={clearError}>
            Dismiss
          </button>
        </div>
      )}
      <main>{page === 'import' ? <ImportPage /> : <LibraryPage />}</main>
    </div>
  );
}
