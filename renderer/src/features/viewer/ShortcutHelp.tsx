import type { ReactElement } from 'react';
import { useViewer } from '../../state/viewer.ts';
import { SHORTCUTS } from './shortcuts.ts';

/** The keyboard shortcuts panel (the ? key), for the series viewer and the hanging view. */
export function ShortcutHelp(): ReactElement | null {
  const helpOpen = useViewer((state) => state.helpOpen);
  const toggleHelp = useViewer((state) => state.toggleHelp);
  if (!helpOpen) {
    return null;
  }
  return (
    <div className="help" role="dialog" aria-label="Keyboard shortcuts">
      <h2>Keyboard shortcuts</h2>
      <table>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.keys}>
              <td className="mono">{shortcut.keys}</td>
              <td>{shortcut.action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={() => toggleHelp(false)}>Close</button>
    </div>
  );
}
