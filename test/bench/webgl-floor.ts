/// <reference lib="dom" />
import type { Page } from '@playwright/test';

/**
 * The baseline, measured in the same run and at the same canvas sizes: the fastest any WebGL stack
 * viewer could scroll here. Each animation frame, for every viewport, uploads a new single-channel
 * float slice, clears, draws one textured quad through a grey-scale lookup table on one shared
 * offscreen WebGL canvas and copies the result to that viewport's visible 2D canvas, as cornerstone's
 * rendering engine does for stack viewports, with nothing else. On a GPU this takes well under a
 * millisecond; on a software rasterizer it is the machine's limit. Returns frames (every viewport
 * drawn) per second.
 */
export async function webglFloorFps(page: Page, canvases: { width: number; height: number }[], sliceSize = 512): Promise<number> {
  return page.evaluate(
    async ([canvases, size]) => {
      const width = Math.max(...canvases.map((c) => c.width));
      const height = Math.max(...canvases.map((c) => c.height));
      const offscreen = document.createElement('canvas');
      offscreen.width = width;
      offscreen.height = height;
      const gl = offscreen.getContext('webgl2', { preserveDrawingBuffer: false, depth: true, alpha: true, powerPreference: 'high-performance' });
      if (!gl) {
        return 0;
      }
      let left = 0;
      const visibles = canvases.map((c) => {
        const visible = document.createElement('canvas');
        visible.width = c.width;
        visible.height = c.height;
        visible.style.cssText = `position:fixed;left:${left}px;top:0;width:${c.width}px;height:${c.height}px;z-index:1000`;
        left += c.width;
        document.body.append(visible);
        return { visible, context: visible.getContext('2d') as CanvasRenderingContext2D, width: c.width, height: c.height };
      });
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
      gl.clearColor(0, 0, 0, 1);
      const frames = 120;
      const frame = (index: number): void => {
        visibles.forEach((target, viewport) => {
          gl.viewport(0, 0, target.width, target.height);
          gl.activeTexture(gl.TEXTURE0);
          gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, size, size, gl.RED, gl.FLOAT, slices[(index + viewport) % slices.length] as Float32Array);
          gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
          gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
          target.context.drawImage(offscreen, 0, 0, target.width, target.height, 0, 0, target.width, target.height);
        });
      };
      frame(0); // compiles the shaders before the clock starts
      const started = await new Promise<number>((resolve) => requestAnimationFrame(resolve));
      for (let i = 1; i <= frames; i += 1) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        frame(i);
      }
      const fps = frames / ((performance.now() - started) / 1000);
      visibles.forEach(({ visible }) => visible.remove());
      gl.getExtension('WEBGL_lose_context')?.loseContext();
      return fps;
    },
    [canvases, sliceSize] as const,
  );
}
