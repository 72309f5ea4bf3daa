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

/**
 * The baseline, measured in the same run and at the same canvas size: the fastest any WebGL stack
 * viewer could scroll here. Each animation frame uploads a new single-channel float slice, clears,
 * draws one textured quad through a grey-scale lookup table and copies the result to a visible 2D
 * canvas, as cornerstone does for a stack viewport, with nothing else. On a GPU this takes well under
 * a millisecond; on a software rasterizer it is the machine's limit.
 */
async function webglFloorFps(page: Page, width: number, height: number): Promise<number> {
  return page.evaluate(
    async ([width, height]) => {
      const offscreen = document.createElement('canvas');
      offscreen.width = width;
      offscreen.height = height;
      const gl = offscreen.getContext('webgl2', { preserveDrawingBuffer: false, depth: true, alpha: true, powerPreference: 'high-performance' });
      if (!gl) {
        return 0;
      }
      const visible = document.createElement('canvas');
      visible.width = width;
      visible.height = height;
      visible.style.cssText = `position:fixed;left:0;top:0;width:${width}px;height:${height}px;z-index:1000`;
      document.body.append(visible);
      const context = visible.getContext('2d') as CanvasRenderingContext2D;
      const compile = (type: number, source: string): WebGLShader => {
        const shader = gl.createShader(type) as WebGLShader;
        gl.shaderSource(shader, source);
        gl.compileShader(shader);
        return shader;
      };
      const program = gl.createProgram();
      gl.attachShader(program, compile(gl.VERTEX_SHADER, '#version 300 es\nin vec2 p; out vec2 uv; void main() { uv = p * 0.5 + 0.5; gl_Position = vec4(p, 0.0, 1.0); }'));
      gl.attachShader(
        program,
        compile(
          gl.FRAGMENT_SHADER,
          '#version 300 es\nprecision highp float; in vec2 uv; uniform highp sampler2D slice; uniform sampler2D lut; out vec4 colour;\n' +
            'void main() { float v = clamp((texture(slice, uv).r - 0.25) / 0.5, 0.0, 1.0); colour = texture(lut, vec2(v, 0.5)); }',
        ),
      );
      gl.bindAttribLocation(program, 0, 'p');
      gl.linkProgram(program);
      gl.useProgram(program);
      gl.bindBuffer(gl.ARRAY_BUFFER, gl.createBuffer());
      gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
      gl.enableVertexAttribArray(0);
      gl.vertexAttribPointer(0, 2, gl.FLOAT, false, 0, 0);
      const size = 512;
      const slices = Array.from({ length: 8 }, () => Float32Array.from({ length: size * size }, () => Math.random()));
      gl.activeTexture(gl.TEXTURE0);
      gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
      gl.texStorage2D(gl.TEXTURE_2D, 1, gl.R32F, size, size);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      gl.activeTexture(gl.TEXTURE1);
      gl.bindTexture(gl.TEXTURE_2D, gl.createTexture());
      const ramp = new Uint8Array(256 * 4).map((_, i) => (i % 4 === 3 ? 255 : i >> 2));
      gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 256, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, ramp);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
      gl.uniform1i(gl.getUniformLocation(program, 'slice'), 0);
      gl.uniform1i(gl.getUniformLocation(program, 'lut'), 1);
      gl.viewport(0, 0, width, height);
      gl.clearColor(0, 0, 0, 1);
      const frames = 120;
      const frame = (index: number): void => {
        gl.activeTexture(gl.TEXTURE0);
        gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, size, size, gl.RED, gl.FLOAT, slices[index % slices.length] as Float32Array);
        gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
        gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
        context.drawImage(offscreen, 0, 0);
      };
      frame(0); // compiles the shaders before the clock starts
      const started = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      for (let i = 1; i <= frames; i += 1) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        frame(i);
      }
      const fps = frames / ((performance.now() - started) / 1000);
      visible.remove();
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return fps;
    },
    [width, height] as const,
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
  const floorFps = await webglFloorFps(page, canvasWidth, canvasHeight);
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
