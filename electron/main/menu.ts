import type { MenuItemConstructorOptions } from 'electron';

/** What the menu asks the app to do; the page's own keys do the rest. */
export interface MenuActions {
  openFolder(): void;
  /** Presses a key in the page, so a menu item and its keyboard shortcut run the same code. */
  pressKey(key: string): void;
}

/** The viewer's keyboard shortcuts (see renderer/src/features/viewer/ViewerPage.tsx and image-keys.ts), listed in the menu. */
export const VIEWER_SHORTCUTS: ReadonlyArray<{ label: string; key: string }> = [
  { label: 'Next Image', key: 'Down' },
  { label: 'Previous Image', key: 'Up' },
  { label: 'First Image', key: 'Home' },
  { label: 'Last Image', key: 'End' },
  { label: 'Invert', key: 'I' },
  { label: 'Flip Horizontally', key: 'H' },
  { label: 'Flip Vertically', key: 'V' },
  { label: 'Rotate Left', key: ',' },
  { label: 'Rotate Right', key: '.' },
  { label: 'Reset View', key: '0' },
  { label: 'Actual Pixels', key: '1' },
  { label: 'Play or Stop Cine', key: 'Space' },
  { label: 'Next Viewport', key: 'Tab' },
  { label: 'Full Screen', key: 'F' },
  { label: 'Link or Unlink Viewports', key: 'K' },
  { label: 'Show or Hide the Report Pane', key: 'T' },
  { label: 'Keyboard Help', key: '?' },
];

export function menuTemplate(platform: NodeJS.Platform, actions: MenuActions): MenuItemConstructorOptions[] {
  const viewer: MenuItemConstructorOptions[] = VIEWER_SHORTCUTS.map(({ label, key }) => ({
    label,
    accelerator: key,
    // Shown, not registered: a plain-key accelerator would swallow that key in every text field.
    registerAccelerator: false,
    click: () => actions.pressKey(key),
  }));
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Import Folder or Files…', accelerator: 'CmdOrCtrl+O', click: () => actions.openFolder() },
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'Viewer', submenu: viewer },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
    },
    { role: 'windowMenu' },
  ];
}
