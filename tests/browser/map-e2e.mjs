#!/usr/bin/env node
// End-to-end test of the web map in headless Chromium against a real
// radstream process (or the mock server with --mock).
//
// Usage:
//   node tests/browser/map-e2e.mjs RADSTREAM_BINARY [CONFIG] [--screenshot-dir DIR]
//   node tests/browser/map-e2e.mjs --mock [--screenshot-dir DIR]
//   node tests/browser/map-e2e.mjs --map-url URL [--screenshot-dir DIR]
//
// --map-url runs the checks against a map that is already served, such as
// `npm run preview` in web/ forwarding to a radstream started by hand. The
// script then starts and stops no server.
//
// Without CONFIG it writes a config into a temporary folder that reads
// examples/data of this repository with playback at 60x and serves the map
// on a free port. It prints one line per check and ends with the line
// "N passed, N failed"; the exit code is 1 when any check failed.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
  BROWSER_DIR,
  REPO_DIR,
  launchChromium,
  loadPlaywright,
  startServer,
  stopServer,
  withTimeout,
} from './support.mjs';

const SERVER_START_TIMEOUT_MS = 30_000;
const SERVER_STOP_TIMEOUT_MS = 20_000;
const PAGE_LOAD_TIMEOUT_MS = 30_000;
const READINGS_TIMEOUT_MS = 60_000;
const ALERT_TIMEOUT_MS = 60_000;
const STATS_TIMEOUT_MS = 20_000;
const PLAYBACK_TIMEOUT_MS = 10_000;
const STEP_TIMEOUT_MS = 90_000;
const LAPTOP_VIEWPORT = { width: 1280, height: 800 };
const PHONE_VIEWPORT = { width: 390, height: 844 };

/** The critical readings of examples/data/api-csv-export/safecast-dump-2.csv, as the alert list shows them. */
const CRITICAL_ALERT_TEXTS = ['10,000 CPM', '100,000 CPM'];

const { values: options, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    mock: { type: 'boolean', default: false },
    'map-url': { type: 'string' },
    'screenshot-dir': { type: 'string' },
  },
});

function usage(message) {
  console.error(`map-e2e: ${message}`);
  console.error('usage: node tests/browser/map-e2e.mjs RADSTREAM_BINARY [CONFIG] [--screenshot-dir DIR]');
  console.error('       node tests/browser/map-e2e.mjs --mock [--screenshot-dir DIR]');
  console.error('       node tests/browser/map-e2e.mjs --map-url URL [--screenshot-dir DIR]');
  process.exit(2);
}

const externalMap = options['map-url'] !== undefined;
if (!options.mock && !externalMap && positionals.length === 0) {
  usage('missing the radstream binary path (or --mock, or --map-url)');
}
if (options.mock && externalMap) {
  usage('--mock and --map-url exclude each other');
}
if (positionals.length > 2 || ((options.mock || externalMap) && positionals.length > 0)) {
  usage(`unexpected arguments: ${positionals.join(' ')}`);
}

/**
 * Writes a config that replays examples/data at 60x: first the critical
 * readings of 2013, then two bGeigie logs of 2012, which arrive late,
 * then the Safecast API export of 2024. radstream holds on-time readings
 * until the event-time watermark passes their capture second, so the 2024
 * readings are what releases the critical ones to the map.
 */
async function writeConfig(folder) {
  const data = path.join(REPO_DIR, 'examples', 'data');
  const inputs = [
    { file: 'api-csv-export/safecast-dump-2.csv', format: 'safecast_csv' },
    { file: 'bgeigie-logs/102-0329.LOG', format: 'bgeigie' },
    { file: 'bgeigie-logs/007-0601.LOG', format: 'bgeigie' },
    { file: 'api-csv-export/safecast-dump-corrupt.csv', format: 'safecast_csv' },
    {
      file: 'api-json-fields/safecast-api-2024Q1.csv',
      format: 'csv',
      extra: 'columns = { captured_time = "captured_at" }',
    },
  ];
  const config = [
    '[embedded]',
    `output_dir = ${JSON.stringify(path.join(folder, 'out'))}`,
    '',
    ...inputs.flatMap(({ file, format, extra }) => [
      '[[inputs]]',
      `path = ${JSON.stringify(path.join(data, file))}`,
      `format = "${format}"`,
      ...(extra === undefined ? [] : [extra]),
      '',
    ]),
    '[ingest]',
    'playback_speed = 60',
    '',
    '[web]',
    'address = "127.0.0.1"',
    'port = 0',
    '',
    '[log]',
    'level = "info"',
    '',
  ].join('\n');
  const file = path.join(folder, 'radstream.toml');
  await writeFile(file, config);
  return file;
}

const results = [];
const logLines = [];
const pageMessages = [];

/** Runs one check with a timeout and records whether it passed. */
async function check(name, body) {
  const started = Date.now();
  try {
    const detail = await withTimeout(Promise.resolve().then(body), STEP_TIMEOUT_MS, name);
    results.push({ name, ok: true });
    console.log(`ok    ${name}${detail ? `: ${detail}` : ''} (${Date.now() - started} ms)`);
    return true;
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL  ${name}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}

const MAX_PRINTED_LINE_CHARS = 300;

function truncate(line) {
  return line.length > MAX_PRINTED_LINE_CHARS ? `${line.slice(0, MAX_PRINTED_LINE_CHARS)}…` : line;
}

/** Parses a count shown with thousands separators, such as "12,345". */
function parseCount(text) {
  const value = Number(String(text).replace(/,/g, ''));
  if (!Number.isFinite(value)) {
    throw new Error(`expected a count, got "${text}"`);
  }
  return value;
}

async function readCounts(page) {
  return page.evaluate(() => {
    const shown = document.querySelector('[data-testid="shown-count"]')?.textContent ?? '';
    const low = [...document.querySelectorAll('.level-counts__item')]
      .find((item) => item.textContent?.startsWith('low'))
      ?.querySelector('strong')?.textContent ?? '';
    const held = document.querySelector('.overlay__totals')?.textContent ?? '';
    return { shown, low, held };
  });
}

function heldFrom(text) {
  const match = /of ([\d,]+) held/.exec(text);
  if (match === null) throw new Error(`no held count in "${text}"`);
  return parseCount(match[1]);
}

async function openSection(page, id) {
  const section = page.getByTestId(`section-${id}`);
  const open = await section.evaluate((element) => element.hasAttribute('open'));
  if (!open) {
    await section.locator('summary').click();
  }
  return section;
}

async function runChecks(page, mapUrl, screenshotDir) {
  await check('page loads and the feed connects', async () => {
    await page.goto(mapUrl, { timeout: PAGE_LOAD_TIMEOUT_MS });
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor({ timeout: PAGE_LOAD_TIMEOUT_MS });
    const webglError = await page.locator('.map-error').count();
    if (webglError > 0) throw new Error(`the map failed to start: ${await page.locator('.map-error').textContent()}`);
    return 'connection shows Live';
  });

  await check('readings reach the map', async () => {
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="shown-count"]')?.textContent?.replace(/,/g, '')) > 0,
      undefined,
      { timeout: READINGS_TIMEOUT_MS },
    );
    // The source must have drawn something: a cluster or reading circle under the canvas.
    const counts = await readCounts(page);
    return `${counts.shown} readings shown`;
  });

  await check('level filter changes the shown count', async () => {
    const low = page.locator('input[name="level-low"]');
    const before = await readCounts(page);
    if (parseCount(before.low) === 0) throw new Error('no low readings to filter out');

    await low.uncheck();
    await page.waitForFunction(
      () => {
        const item = [...document.querySelectorAll('.level-counts__item')].find((element) =>
          element.textContent?.startsWith('low'),
        );
        return item?.querySelector('strong')?.textContent === '0';
      },
      undefined,
      { timeout: 10_000 },
    );
    const filtered = await readCounts(page);
    const shownFiltered = parseCount(filtered.shown);
    const heldFiltered = heldFrom(filtered.held);
    if (!(shownFiltered < heldFiltered)) {
      throw new Error(`with low unchecked, ${shownFiltered} of ${heldFiltered} held readings are still shown`);
    }

    await low.check();
    await page.waitForFunction(
      () => {
        const text = document.querySelector('.overlay__totals')?.textContent ?? '';
        const match = /^([\d,]+) of ([\d,]+) held/.exec(text);
        return match !== null && match[1] === match[2];
      },
      undefined,
      { timeout: 10_000 },
    );
    return `low unchecked: ${shownFiltered} of ${heldFiltered} shown; checked again: all shown`;
  });

  await check('critical reading raises an alert', async () => {
    const alert = page
      .getByTestId('alert-item')
      .filter({ hasText: 'critical' })
      .filter({ hasText: new RegExp(CRITICAL_ALERT_TEXTS.map((text) => `(^|\\D)${text}`).join('|')) });
    await alert.first().waitFor({ timeout: ALERT_TIMEOUT_MS });
    const text = (await alert.first().textContent()) ?? '';

    await alert.first().locator('.alert-item__main').click();
    const popup = page.locator('.maplibregl-popup .reading');
    await popup.waitFor({ timeout: 10_000 });
    const popupText = (await popup.textContent()) ?? '';
    if (!popupText.includes('critical')) throw new Error(`the popup does not say critical: "${popupText}"`);
    return `alert "${text.replace(/\s+/g, ' ').trim()}"; click opened its popup`;
  });

  await check('heatmap view shows critical readings', async () => {
    // The flight to the alert left its reading at the middle of the map.
    await page.locator('.maplibregl-popup-close-button').click();
    await page.locator('label').filter({ hasText: 'Heatmap' }).click();
    await page.waitForTimeout(1_000);
    const box = await page.getByTestId('map').boundingBox();
    if (box === null) throw new Error('the map has no bounding box');
    const popup = page.locator('.maplibregl-popup .reading');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await popup.waitFor({ timeout: 10_000 }).catch(() => {
      throw new Error('a click on the critical reading in the heatmap view opened no popup');
    });
    const popupText = (await popup.textContent()) ?? '';
    await page.locator('label').filter({ hasText: 'Points' }).click();
    if (!popupText.includes('critical')) throw new Error(`the popup does not say critical: "${popupText}"`);
    return 'a click on the critical reading over the heatmap opened its popup';
  });

  if (screenshotDir !== null) {
    // After the flight to the alert, so the screenshot shows the critical reading.
    await page.waitForTimeout(2_000);
  }

  await check('system panel shows live numbers', async () => {
    const section = await openSection(page, 'system');
    const records = section.locator('[data-testid^="topic-records-"]');
    await records.first().waitFor({ timeout: STATS_TIMEOUT_MS }).catch(() => {
      throw new Error('the system panel shows no topic records: GET /api/stats has no "topics" field');
    });
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('[data-testid^="topic-records-"]')].some(
          (cell) => Number(cell.textContent?.replace(/,/g, '')) > 0,
        ),
      undefined,
      { timeout: STATS_TIMEOUT_MS },
    );
    // Two polls at least draw a line segment in the rate chart.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.rate-chart path')].some((line) => line.getAttribute('d')?.includes('L')),
      undefined,
      { timeout: STATS_TIMEOUT_MS },
    );
    const input = await section.getByTestId('topic-records-radiation-data').textContent().catch(() => 'n/a');
    const watermark = await section.getByTestId('system-watermark').textContent();
    return `radiation-data records ${input}, watermark ${watermark}`;
  });

  await check('playback speed can be set', async () => {
    const section = await openSection(page, 'playback');
    await section.locator('select[name="playback-preset"]').selectOption('3600');
    const current = section.getByTestId('playback-current');
    const error = section.getByTestId('playback-error');
    await page.waitForFunction(
      () => {
        const text = document.querySelector('[data-testid="playback-current"]')?.textContent ?? '';
        return text.includes('3,600×') || document.querySelector('[data-testid="playback-error"]') !== null;
      },
      undefined,
      { timeout: PLAYBACK_TIMEOUT_MS },
    );
    if ((await error.count()) > 0) {
      throw new Error(`the page shows: ${await error.textContent()}`);
    }
    return (await current.textContent()) ?? '';
  });

  if (screenshotDir !== null) {
    await check('laptop screenshot saved', async () => {
      const file = path.join(screenshotDir, 'map-laptop.png');
      await page.screenshot({ path: file });
      const systemFile = path.join(screenshotDir, 'system-panel.png');
      await page.getByTestId('section-system').screenshot({ path: systemFile });
      return `${file}, ${systemFile}`;
    });
  }
}

async function runPhoneCheck(context, mapUrl, screenshotDir) {
  await check('phone layout opens the controls drawer', async () => {
    const page = await context.newPage();
    try {
      await page.setViewportSize(PHONE_VIEWPORT);
      await page.goto(mapUrl, { timeout: PAGE_LOAD_TIMEOUT_MS });
      const toggle = page.locator('.drawer-toggle');
      await toggle.waitFor({ timeout: PAGE_LOAD_TIMEOUT_MS });
      if (await page.locator('#control-panel').isVisible()) throw new Error('the drawer is open before the tap');
      await toggle.click();
      await page.locator('#control-panel').waitFor({ state: 'visible', timeout: 5_000 });
      if (screenshotDir !== null) {
        await page.waitForTimeout(1_500);
        await page.screenshot({ path: path.join(screenshotDir, 'map-phone.png') });
      }
      return 'drawer opens on tap';
    } finally {
      await page.close();
    }
  });
}

// SIGINT: a connected browser gets a WebSocket close frame with code 1001
// (going away), and the server exits 0.
async function runShutdownCheck(page, mapUrl, server) {
  await check('SIGINT closes WebSocket clients', async () => {
    const wsUrl = new URL('ws', mapUrl).toString().replace(/^http/, 'ws');
    await page.evaluate(
      (url) =>
        new Promise((resolve, reject) => {
          const socket = new WebSocket(url);
          window.__radstreamClose = new Promise((closed) => {
            socket.onclose = (event) => closed({ code: event.code, reason: event.reason });
          });
          socket.onopen = () => resolve();
          socket.onerror = () => reject(new Error(`cannot open ${url}`));
        }),
      wsUrl,
    );
    const [{ code, signal }, closed] = await Promise.all([
      stopServer(server, SERVER_STOP_TIMEOUT_MS),
      page.evaluate(() => window.__radstreamClose),
    ]);
    if (code !== 0) throw new Error(`server exited with code ${code}, signal ${signal}`);
    if (closed.code !== 1001) throw new Error(`close code ${closed.code} (${closed.reason}), expected 1001`);
    return `close code 1001 "${closed.reason}", exit code 0`;
  });
}

async function main() {
  const workDir = await mkdtemp(path.join(tmpdir(), 'radstream-map-e2e-'));
  const screenshotDir = options['screenshot-dir'] ?? workDir;
  await mkdir(screenshotDir, { recursive: true });

  let server = null;
  let mapUrl = options['map-url'];
  let browser = null;
  try {
    if (externalMap) {
      // The checks use the map as it is served; nothing to start.
    } else if (options.mock) {
      server = await startServer(process.execPath, [path.join(BROWSER_DIR, 'mock-server.mjs')], {
        timeoutMs: SERVER_START_TIMEOUT_MS,
        logLines,
        name: 'mock',
      });
    } else {
      const binary = path.resolve(positionals[0]);
      const config = positionals[1] === undefined ? await writeConfig(workDir) : path.resolve(positionals[1]);
      console.log(`map-e2e: starting ${binary} --config ${config}`);
      server = await startServer(binary, ['--config', config], {
        timeoutMs: SERVER_START_TIMEOUT_MS,
        logLines,
        name: 'radstream',
      });
    }
    mapUrl ??= server.mapUrl;
    console.log(`map-e2e: map at ${mapUrl}`);

    const playwright = await loadPlaywright();
    browser = await launchChromium(playwright, { viewport: LAPTOP_VIEWPORT });
    const page = browser.context.pages()[0] ?? (await browser.context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') {
        pageMessages.push(`[page ${message.type()}] ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => pageMessages.push(`[page exception] ${error.message}`));

    await runChecks(page, mapUrl, screenshotDir);
    await runPhoneCheck(browser.context, mapUrl, screenshotDir);
    if (server !== null && !options.mock) {
      await runShutdownCheck(page, mapUrl, server);
    }
  } catch (error) {
    results.push({ name: 'setup', ok: false });
    console.log(`FAIL  setup: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (browser !== null) {
      await browser.close().catch((error) => console.log(`map-e2e: closing Chromium failed: ${error.message}`));
    }
    if (server !== null) {
      await check('server stops on SIGINT', async () => {
        const { code, signal } = await stopServer(server, SERVER_STOP_TIMEOUT_MS);
        if (code !== 0) throw new Error(`exited with code ${code}, signal ${signal}`);
        return 'exit code 0';
      });
    }
  }

  const failed = results.filter((result) => !result.ok).length;
  if (failed > 0) {
    console.log('\nmap-e2e: last server log lines:');
    for (const line of logLines.slice(-15)) console.log(`  ${truncate(line)}`);
    if (pageMessages.length > 0) {
      console.log('map-e2e: page errors and warnings:');
      for (const line of pageMessages.slice(-15)) console.log(`  ${truncate(line)}`);
    }
  }
  if (options['screenshot-dir'] === undefined && failed === 0) {
    await rm(workDir, { recursive: true, force: true });
  } else {
    console.log(`map-e2e: screenshots and temporary files in ${screenshotDir}`);
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

await main();
