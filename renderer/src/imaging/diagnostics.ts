import { currentRenderer } from './init.ts';
import { viewportService } from './viewport-service.ts';

/**
 * A read-only window onto the viewer for tests and support staff (alongside the data attributes
 * on each viewport element): what is shown, the decoded pixels, the image cache's use and cap.
 */
export function exposeDiagnostics(): void {
  Object.defineProperty(window, 'concordDiagnostics', {
    value: Object.freeze({
      inspect: (slot: string) => viewportService.inspect(slot),
      pixelSample: (slot: string, stride: number) => viewportService.pixelSample(slot, stride),
      canvasAt: (slot: string, points: [number, number][]) => viewportService.canvasAt(slot, points),
      actualPixels: (slot: string) => viewportService.actualPixels(slot),
      setWindow: (slot: string, center: number, width: number) => viewportService.setWindow(slot, center, width),
      cacheBytes: () => viewportService.cacheBytes(),
      scroll: (slot: string, delta: number) => viewportService.scroll(slot, delta),
      position: (slot: string) => viewportService.position(slot),
      renderer: () => currentRenderer(),
    }),
    configurable: false,
    writable: false,
  });
}
