import type { ToolName } from '../../state/viewer.ts';

/** Keyboard shortcuts of the viewer, shown in its help panel. */
export interface Shortcut {
  keys: string;
  action: string;
}

export const TOOL_KEYS: Record<string, ToolName> = {
  w: 'WindowLevel',
  p: 'Pan',
  z: 'Zoom',
  l: 'Length',
  a: 'Angle',
  e: 'EllipticalROI',
  r: 'RectangleROI',
  d: 'Probe',
  m: 'Magnify',
};

/** Shows or hides the reporting pane, in the series viewer and the hanging view ('r' is the rectangle tool). */
export const REPORT_PANE_KEY = 't';

export const SHORTCUTS: Shortcut[] = [
  { keys: '↑ ↓  PgUp PgDn', action: 'Previous / next image' },
  { keys: 'Home End', action: 'First / last image' },
  { keys: 'Mouse wheel', action: 'Scroll through the series' },
  { keys: 'Left drag', action: 'Current tool (window/level by default)' },
  { keys: 'Middle drag / right drag', action: 'Pan / zoom (about the point pressed)' },
  { keys: 'Ctrl + wheel', action: 'Zoom about the cursor' },
  { keys: 'W P Z', action: 'Window/level, pan, zoom tool' },
  { keys: 'L A E R', action: 'Length, angle, ellipse, rectangle (with statistics)' },
  { keys: 'D', action: 'Probe: stored and modality values' },
  { keys: 'M', action: 'Magnifying glass' },
  { keys: '2 – 6', action: 'Window presets (mammography first; MR relative to the series range)' },
  { keys: 'I', action: 'Invert' },
  { keys: 'H V', action: 'Flip horizontal / vertical' },
  { keys: ', .', action: 'Rotate left / right' },
  { keys: '1', action: 'Actual pixels (1:1)' },
  { keys: '0', action: 'Reset' },
  { keys: 'Space', action: 'Cine play / pause' },
  { keys: 'Tab', action: 'Next viewport' },
  { keys: 'K', action: 'Link / unlink the slices shown (keeps their offset across studies)' },
  { keys: 'T', action: 'Report pane: show / hide' },
  { keys: '] [', action: 'Hanging: next / previous stage' },
  { keys: '} {', action: 'Hanging: older / newer prior' },
  { keys: 'N', action: 'Hanging: new finding from a click on the image' },
  { keys: 'U', action: 'Hanging: W/L of the active mammogram on its own / with the whole stage' },
  { keys: 'F', action: 'Full screen' },
  { keys: '?', action: 'This help' },
];

/** The hanging view's own keys: stages and priors (the image keys above work there too). */
export const HANGING_KEYS = {
  nextStage: ']',
  previousStage: '[',
  olderPrior: '}',
  newerPrior: '{',
  /** A click on a hung image starts a finding (lower case: the key handler compares lower case). */
  findingFromImage: 'n',
  windowLink: 'u',
} as const;
