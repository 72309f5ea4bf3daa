import { viewportService } from './viewport-service.ts';

/**
 * A read-only window onto the viewer for tests and support staff (alongside the data attributes
 * on each viewport element): what is shown, the decoded pixels, the image cache's use and cap.
 */
export function exposeDiagnostics(): void {
  Object.defineProperty(window, 'concordDiagnostics', {
    value: Object.freeze({
      inspect: (slot: string) => viewportService.inspect(slot),
      pixelData: (slot: string) => viewportService.pixelData(slot),
      cacheBytes: () => viewportService.cacheBytes(),
    }),
    configurable: false,
    writable: false,
  });
}
