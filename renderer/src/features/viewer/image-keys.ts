import { WINDOW_PRESETS, viewportService } from '../../imaging/viewport-service.ts';

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
      return preset ? (slot) => viewportService.setWindow(slot, preset[1], preset[2]) : null;
    }
  }
}
