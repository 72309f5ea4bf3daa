/// <reference lib="dom" />
// npm run bench:viewer: the viewer measured in Debian's Chromium through the browser host, in one run:
// first image of the 144-slice breast MRI, frames per second scrolling it, the 4664x3064 mammogram,
// and the renderer's memory and image cache after scrolling the series twice.
import { chromium } from '@playwright/test';
import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concordJson } from '../support/cli.ts';
import { corpus, corpusRoot } from '../support/environment.ts';
import { startServe } from '../support/serve.ts';
import { webglFloorFps } from './webgl-floor.ts';

interface Diagnostics {
  scroll(slot: string, delta: number): void;
  cacheBytes(): { used: number; cap: number };
  renderer(): { mode: string; webglRenderer: string; reason: string } | null;
}

const library = mkdtempSync(join(tmpdir(), 'concord-bench-viewer-'));
const mri = concordJson<{ studies: { studyInstanceUid: string; instances: number; modalities: string[] }[] }>([
  'import', corpus('03-breast-patient-cd-mr-us-mimbcd'), '--library', library,
]).studies.find((s) => s.instances === 144);
const mammogram = concordJson<{ studies: { studyInstanceUid: string }[] }>([
  'import', corpus('01-mg-wg04-ddsm-film-lmlo'), '--library', library,
]).studies[0];
if (!mri || !mammogram) {
  console.error(`bench:viewer needs the corpus at ${corpusRoot}`);
  process.exit(1);
}
const host = await startServe(library);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-precise-memory-info'],
});

async function timeToRender(page: Page, study: string): Promise<number> {
  await page.goto(`${host.base}#/`);
  await page.waitForSelector('.topbar');
  const started = Date.now();
  await page.evaluate((uid) => {
    window.location.hash = `#/viewer/${uid}`;
  }, study);
  await page.waitForSelector('[data-viewport="vp-0"][data-rendered="true"]', { timeout: 60_000 });
  return (Date.now() - started) / 1000;
}

/** Scrolls through the whole series one image per rendered frame; returns frames per second. */
async function scrollPass(page: Page, direction: 1 | -1, images: number): Promise<number> {
  return page.evaluate(
    async ([direction, images]) => {
      const element = document.querySelector('[data-viewport="vp-0"]') as HTMLElement;
      const diagnostics = (window as unknown as { concordDiagnostics: Diagnostics }).concordDiagnostics;
      const started = performance.now();
      for (let i = 0; i < images - 1; i += 1) {
        const rendered = new Promise((resolve) => element.addEventListener('CORNERSTONE_IMAGE_RENDERED', resolve, { once: true }));
        diagnostics.scroll('vp-0', direction);
        await rendered;
      }
      return (images - 1) / ((performance.now() - started) / 1000);
    },
    [direction, images] as const,
  );
}

async function viewportCanvasSize(page: Page): Promise<string> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-viewport="vp-0"] canvas') as HTMLCanvasElement;
    return `${canvas.width}x${canvas.height}`;
  });
}

try {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 1 });
  await page.goto(host.openUrl);
  const firstMri = await timeToRender(page, mri.studyInstanceUid);
  const coldFps = await scrollPass(page, 1, 144);
  const warmFps = await scrollPass(page, -1, 144);
  const memory = await page.evaluate(() => ({
    heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    cache: (window as unknown as { concordDiagnostics: Diagnostics }).concordDiagnostics.cacheBytes(),
  }));
  const canvas = await viewportCanvasSize(page);
  const [canvasWidth, canvasHeight] = canvas.split('x').map(Number) as [number, number];
  const floorFps = await webglFloorFps(page, [{ width: canvasWidth, height: canvasHeight }]);
  const firstMammogram = await timeToRender(page, mammogram.studyInstanceUid);
  // The same scrolling in a smaller window: without a GPU, the cost per frame follows the pixels drawn.
  const small = await browser.newPage({ viewport: { width: 1000, height: 700 }, deviceScaleFactor: 1 });
  await small.goto(host.openUrl);
  await timeToRender(small, mri.studyInstanceUid);
  await scrollPass(small, 1, 144);
  const smallFps = await scrollPass(small, -1, 144);
  const smallCanvas = await viewportCanvasSize(small);
  await small.close();
  const renderer = await page.evaluate(() => (window as unknown as { concordDiagnostics: Diagnostics }).concordDiagnostics.renderer());
  console.log(`renderer: ${renderer?.mode ?? '?'} (${renderer?.reason ?? ''}; WebGL: ${renderer?.webglRenderer || 'none'})`);
  const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
  console.log(`MRI first image: ${firstMri.toFixed(2)} s (target < 1 s)`);
  console.log(`MRI scrolling in a ${canvas} viewport: ${coldFps.toFixed(1)} frames/s first pass (loading), ${warmFps.toFixed(1)} frames/s second pass (target >= 30)`);
  console.log(`MRI scrolling in a ${smallCanvas} viewport: ${smallFps.toFixed(1)} frames/s second pass`);
  console.log(
    `WebGL floor in a ${canvas} canvas (new slice, clear, one textured draw, copy; nothing else): ${floorFps.toFixed(1)} frames/s; ` +
      `Concord's second pass is ${((100 * warmFps) / floorFps).toFixed(0)}% of it`,
  );
  console.log(`mammogram 4664x3064 first render: ${firstMammogram.toFixed(2)} s`);
  console.log(`after two passes: JS heap ${mb(memory.heap)}, image cache ${mb(memory.cache.used)} of its ${mb(memory.cache.cap)} cap`);
  console.log(
    `viewer: first image ${firstMri.toFixed(2)} s, ${Math.min(coldFps, warmFps).toFixed(1)} frames/s sustained, ` +
      `mammogram ${firstMammogram.toFixed(2)} s, cache ${mb(memory.cache.used)} under ${mb(memory.cache.cap)} cap: ${memory.cache.used <= memory.cache.cap ? 'yes' : 'NO'}`,
  );
} finally {
  await browser.close();
  await host.stop();
  rmSync(library, { recursive: true, force: true });
}
