import { useEffect, useState } from 'react';
import type { ReactElement } from 'react';
import type { FolderEntry, Volume } from '../../../../shared/api/schemas.ts';
import { api } from '../../api/api.ts';

interface Props {
  path: string;
  onPathChange(path: string): void;
  onImport(path: string): void;
  busy: boolean;
  /** Why the import of this path could not start. */
  error: { code: string; message: string } | null;
}

/** Where to import from: a typed path, a mounted volume, or a folder picked by browsing. */
export function SourcePicker({ path, onPathChange, onImport, busy, error }: Props): ReactElement {
  const [volumes, setVolumes] = useState<Volume[]>([]);
  const [folder, setFolder] = useState<{ path: string; parent: string | null; entries: FolderEntry[] } | null>(null);
  const [browseError, setBrowseError] = useState<string | null>(null);

  useEffect(() => {
    api.listVolumes({}).then(({ volumes: found }) => setVolumes(found), () => setVolumes([]));
  }, []);

  const browse = (target: string): void => {
    api.listFolder({ path: target }).then(
      (listing) => {
        setFolder(listing);
        setBrowseError(null);
        onPathChange(listing.path);
      },
      (error: unknown) => setBrowseError(error instanceof Error ? error.message : String(error)),
    );
  };

  return (
    <section className="panel source-picker" aria-label="Source">
      <h2>Import from</h2>
      <form
        className="path-row"
        onSubmit={(event) => {
          event.preventDefault();
          if (path.trim()) {
            onImport(path.trim());
          }
        }}
      >
        <label htmlFor="import-path">Folder, drive or file</label>
        <input
          id="import-path"
          type="text"
          value={path}
          spellCheck={false}
          placeholder="/media/cdrom"
          onChange={(event) => onPathChange(event.target.value)}
        />
        <button type="button" onClick={() => browse(path.trim() || '/')} disabled={busy}>
          Browse
        </button>
        <button type="submit" className="primary" disabled={busy || !path.trim()}>
          Start import
        </button>
      </form>
      {error && (
        <p className="error import-error" role="alert" data-error-code={error.code}>
          {error.message}
        </p>
      )}
      {volumes.length > 0 && (
        <div className="volumes" role="list" aria-label="Mounted volumes">
          {volumes.map((volume) => (
            <button key={volume.path} type="button" role="listitem" onClick={() => browse(volume.path)} title={volume.path}>
              {volume.label}
            </button>
          ))}
        </div>
      )}
      {browseError && <p className="error" role="alert">{browseError}</p>}
      {folder && (
        <div className="browser" aria-label="Folder browser">
          <div className="browser-head">
            <button type="button" disabled={!folder.parent} onClick={() => folder.parent && browse(folder.parent)}>
              Up
            </button>
            <span className="browser-path">{folder.path}</span>
          </div>
          <ul>
            {folder.entries.map((entry) => (
              <li key={entry.path}>
                {entry.kind === 'folder' ? (
                  <button type="button" className="link" onClick={() => browse(entry.path)}>
                    {entry.name}/
                  </button>
                ) : (
                  <button type="button" className="link file" onClick={() => onPathChange(entry.path)}>
                    {entry.name}
                  </button>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
