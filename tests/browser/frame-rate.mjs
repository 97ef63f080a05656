#!/usr/bin/env node
// Measures the map's frame rate in headless Chromium while 100,000
// readings are on the map and the mock server keeps pushing more.
//
// Usage: node tests/browser/frame-rate.mjs [--readings N] [--rate N]
//   [--seconds N] [--width PX] [--height PX] [--screenshot-dir DIR]
//
// For each scenario it counts requestAnimationFrame callbacks while the
// mouse drags the map back and forth (or rests, for "idle"), and prints
// frames per second and the longest gap between two frames. Build web/
// first: the mock server serves web/dist.

import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { BROWSER_DIR, launchChromium, loadPlaywright, startServer, stopServer, withTimeout } from './support.mjs';

const { values: options } = parseArgs({
  options: {
    readings: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '500' },
    seconds: { type: 'string', default: '10' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
    'screenshot-dir': { type: 'string' },
  },
});

const READINGS = Number(options.readings);
const MEASURE_SECONDS = Number(options.seconds);
const VIEWPORT = { width: Number(options.width), height: Number(options.height) };
const LOAD_TIMEOUT_MS = 180_000;
const SETTLE_MS = 5_000;
const DRAG_DISTANCE_PX = 300;
const REGION_ZOOM_OUT_STEPS = 5;

/** Starts counting frames in the page; the counter lives on window for the later readout. */
async function startFrameCounter(page) {
  await page.evaluate(() => {
    const counter = { frames: 0, maxGapMs: 0, last: performance.now(), running: true };
    const tick = (now) => {
      counter.frames += 1;
      counter.maxGapMs = Math.max(counter.maxGapMs, now - counter.last);
      counter.last = now;
      if (counter.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    window.frameCounter = counter;
  });
}

async function stopFrameCounter(page) {
  return page.evaluate(() => {
    const counter = window.frameCounter;
    counter.running = false;
    return { frames: counter.frames, maxGapMs: counter.maxGapMs };
  });
}

/**
 * Drags the map left and right for `seconds` with mouse events dispatched
 * in the page, one per animation frame, the way a pointer moves during a
 * drag. Playwright's page.mouse waits for the renderer to acknowledge each
 * event, so with a busy renderer it would pan far slower than a user.
 * Returns the drawing scale at the end of the drag.
 */
async function dragMap(page, seconds) {
  return page.evaluate(
    ({ seconds: durationS, distancePx }) =>
      new Promise((resolve) => {
        const canvas = document.querySelector('.maplibregl-canvas');
        const rect = canvas.getBoundingClientRect();
        const x0 = rect.left + rect.width * 0.4;
        const y0 = rect.top + rect.height * 0.55;
        const fire = (type, x, y) =>
          canvas.dispatchEvent(
            new MouseEvent(type, {
              clientX: x,
              clientY: y,
              button: 0,
              buttons: type === 'mouseup' ? 0 : 1,
              bubbles: true,
              cancelable: true,
              view: window,
            }),
          );
        fire('mousedown', x0, y0);
        const start = performance.now();
        const step = (now) => {
          const elapsedS = (now - start) / 1000;
          // One sweep right and back every 2 s.
          const x = x0 + (distancePx / 2) * Math.sin(elapsedS * Math.PI);
          if (elapsedS >= durationS) {
            // The drawing resolution in use at the end of the drag, as a
            // share of the CSS size (the map lowers it while it moves when
            // frames are slow).
            const scale = canvas.width / canvas.clientWidth;
            fire('mouseup', x, y0);
            resolve(scale);
            return;
          }
          fire('mousemove', x, y0 + 5 * Math.sin(elapsedS * 3));
          requestAnimationFrame(step);
        };
        requestAnimationFrame(step);
      }),
    { seconds, distancePx: DRAG_DISTANCE_PX },
  );
}

async function measure(page, name, action) {
  await startFrameCounter(page);
  const started = Date.now();
  const scale = await action();
  const elapsedS = (Date.now() - started) / 1000;
  const { frames, maxGapMs } = await stopFrameCounter(page);
  const held = await page.locator('.overlay__totals').textContent();
  const result = { name, fps: frames / elapsedS, frames, seconds: elapsedS, maxGapMs, held };
  const resolution = typeof scale === 'number' ? `, drawing at ${scale.toFixed(2)}x at the end` : '';
  console.log(
    `${name.padEnd(34)} ${result.fps.toFixed(1).padStart(5)} fps  (${frames} frames in ${elapsedS.toFixed(1)} s, ` +
      `longest gap ${Math.round(maxGapMs)} ms${resolution}; ${held?.trim()})`,
  );
  return result;
}

async function main() {
  const logLines = [];
  const server = await startServer(
    process.execPath,
    [path.join(BROWSER_DIR, 'mock-server.mjs'), '--history', String(READINGS), '--rate', options.rate],
    { timeoutMs: 60_000, logLines, name: 'mock' },
  );
  const playwright = loadPlaywright();
  const browser = await launchChromium(playwright, { viewport: VIEWPORT });
  try {
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('crash', () => console.error('frame-rate: the page crashed'));
    page.on('pageerror', (error) => console.error(`frame-rate: page exception: ${error.message}`));
    // Hold all readings, not the default 50,000.
    await page.addInitScript((count) => {
      localStorage.setItem(
        'radstream.map.settings',
        JSON.stringify({ historyLimit: { mode: 'readings', count }, thresholdCpm: 1000 }),
      );
    }, READINGS);
    const renderer = await page.evaluate(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl?.getExtension('WEBGL_debug_renderer_info');
      return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'unknown';
    });
    console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0]?.model}), WebGL renderer: ${renderer}`);
    console.log(`viewport: ${VIEWPORT.width}x${VIEWPORT.height} CSS pixels at device pixel ratio 1`);
    console.log(`mock feed: ${READINGS} readings of history, then ${options.rate} readings/s in batches every 100 ms`);

    await page.goto(server.mapUrl, { timeout: LOAD_TIMEOUT_MS });
    await page.waitForFunction(
      (count) => {
        const text = document.querySelector('.overlay__totals')?.textContent ?? '';
        const match = /of ([\d,]+) held/.exec(text);
        return match !== null && Number(match[1].replace(/,/g, '')) >= count;
      },
      READINGS,
      { timeout: LOAD_TIMEOUT_MS, polling: 500 },
    );
    await page.waitForTimeout(SETTLE_MS);

    if (options['screenshot-dir'] !== undefined) {
      await mkdir(options['screenshot-dir'], { recursive: true });
      await page.screenshot({ path: path.join(options['screenshot-dir'], 'frame-rate-world.png') });
    }
    const results = [];
    results.push(await measure(page, 'clusters, world view, idle', () => page.waitForTimeout(MEASURE_SECONDS * 1000)));
    results.push(await measure(page, 'clusters, world view, panning', () => dragMap(page, MEASURE_SECONDS)));

    // Fly to the newest alert (zoom 13 near Fukushima), then zoom out to
    // zoom 8, where single readings and small clusters mix. The zoom-out
    // button steps one zoom level per click and, unlike the mouse wheel,
    // ends at the same zoom however slowly frames come.
    await page.getByTestId('alert-item').first().locator('.alert-item__main').click();
    await page.waitForTimeout(2_500);
    await page.locator('.maplibregl-popup-close-button').click().catch(() => {});
    for (let step = 0; step < REGION_ZOOM_OUT_STEPS; step += 1) {
      await page.locator('.maplibregl-ctrl-zoom-out').click();
      await page.waitForTimeout(1_000);
    }
    await page.waitForTimeout(SETTLE_MS);
    if (options['screenshot-dir'] !== undefined) {
      await page.screenshot({ path: path.join(options['screenshot-dir'], 'frame-rate-region.png') });
    }
    results.push(await measure(page, 'clusters, region view, panning', () => dragMap(page, MEASURE_SECONDS)));

    await page.locator('label').filter({ hasText: 'Heatmap' }).click();
    await page.waitForTimeout(SETTLE_MS);
    if (options['screenshot-dir'] !== undefined) {
      await page.screenshot({ path: path.join(options['screenshot-dir'], 'frame-rate-heatmap.png') });
    }
    results.push(await measure(page, 'heatmap, region view, panning', () => dragMap(page, MEASURE_SECONDS)));

    const slowest = Math.min(...results.map((result) => result.fps));
    console.log(`slowest scenario: ${slowest.toFixed(1)} fps`);
  } catch (error) {
    console.error(`frame-rate: measurement failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  } finally {
    await browser.close().catch((error) => console.error(`frame-rate: closing Chromium failed: ${error.message}`));
    await withTimeout(stopServer(server, 10_000), 15_000, 'stopping the mock server');
  }
}

await main();
