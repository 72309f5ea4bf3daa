import { syncService } from '../../imaging/sync-service.ts';
import { WINDOW_PRESETS, viewportService } from '../../imaging/viewport-service.ts';
import { useViewer } from '../../state/viewer.ts';
import { useReport } from '../report/report-store.ts';
import { REPORT_PANE_KEY, TOOL_KEYS } from './shortcuts.ts';

/**
 * The keys that act on the active viewport's image (scroll, invert, flip, rotate, reset, 1:1, window
 * presets, cine), shared by the series viewer and the hanging view; null for any other key.
 */
export function imageKeyAction(key: string): ((slot: string) => void) | null {
  switch (key) {
    case 'ArrowDown':
    case 'PageDown':
      return (slot) => viewportService.scroll(slot, 1);
    case 'ArrowUp':
    case 'PageUp':
      return (slot) => viewportService.scroll(slot, -1);
    case 'Home':
      return (slot) => viewportService.scroll(slot, -100000);
    case 'End':
      return (slot) => viewportService.scroll(slot, 100000);
    case 'i':
    case 'I':
      return (slot) => viewportService.toggleInvert(slot);
    case 'h':
    case 'H':
      return (slot) => viewportService.flip(slot, 'horizontal');
    case 'v':
    case 'V':
      return (slot) => viewportService.flip(slot, 'vertical');
    case ',':
      return (slot) => viewportService.rotate(slot, -90);
    case '.':
      return (slot) => viewportService.rotate(slot, 90);
    case '0':
      return (slot) => viewportService.reset(slot);
    case '1':
      return (slot) => viewportService.actualPixels(slot);
    case ' ':
      return (slot) => viewportService.toggleCine(slot);
    default: {
      const preset = key >= '2' && key <= '6' && key.length === 1 ? WINDOW_PRESETS[Number(key) - 2] : undefined;
      return preset ? (slot) => viewportService.applyPreset(slot, preset) : null;
    }
  }
}

/**
 * The keys the series viewer and the hanging view answer alike: tools, image actions on the active
 * viewport, Tab to the next viewport, K to link slices, T for the reporting pane, ? and Escape for the help. True when the key
 * was one of them. `slots` are the viewports Tab steps through, in order.
 */
export function handleViewerKey(key: string, slots: string[]): boolean {
  const viewer = useViewer.getState();
  const tool = TOOL_KEYS[key.toLowerCase()];
  const imageAction = imageKeyAction(key);
  if (tool) {
    viewer.setTool(tool);
  } else if (imageAction) {
    imageAction(viewer.activeSlot ?? slots[0] ?? 'vp-0');
  } else if (key === 'Tab') {
    const next = slots[(slots.indexOf(viewer.activeSlot ?? '') + 1) % slots.length];
    if (next) {
      viewer.setActiveSlot(next);
    }
  } else if (key === 'k' || key === 'K') {
    syncService.toggleLink();
  } else if (key.toLowerCase() === REPORT_PANE_KEY) {
    useReport.getState().togglePane();
  } else if (key === '?') {
    viewer.toggleHelp();
  } else if (key === 'Escape') {
    viewer.toggleHelp(false);
  } else {
    return false;
  }
  return true;
}
