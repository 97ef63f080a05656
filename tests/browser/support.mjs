// Helpers shared by the browser test and the frame-rate measurement: find
// playwright-core in web/node_modules, start a server process and read its
// map address, and launch Debian's Chromium.

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BROWSER_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = path.resolve(BROWSER_DIR, '..', '..');
export const WEB_DIR = path.join(REPO_DIR, 'web');

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Flags for headless Chromium without a GPU: WebGL runs in SwiftShader, on the CPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];

/** The line radstream and the mock server log on stderr once the map is served. */
const MAP_ADDRESS_PATTERN = /map: (http:\/\/127\.0\.0\.1:\d+\/)/;

/**
 * Loads playwright-core from web/node_modules, where `npm ci` in web/
 * installs it as a devDependency.
 */
export function loadPlaywright() {
  const require = createRequire(path.join(WEB_DIR, 'package.json'));
  try {
    return require('playwright-core');
  } catch (error) {
    throw new Error(
      `failed to load playwright-core from ${WEB_DIR}/node_modules (${error.message}); run "npm ci" in web/ first`,
    );
  }
}

/** Rejects after `ms` with a message naming what timed out, unless `promise` settles first. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Starts a server process and resolves with its map URL once the process
 * logs `map: http://127.0.0.1:PORT/` on stderr. Stdout and stderr are
 * copied to `logLines` for failure reports.
 */
export async function startServer(command, args, { timeoutMs, logLines, name }) {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  const url = new Promise((resolve, reject) => {
    let buffered = '';
    const collect = (stream) => (chunk) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        logLines.push(`[${name} ${stream}] ${line}`);
        const match = MAP_ADDRESS_PATTERN.exec(line);
        if (match !== null && stream === 'stderr') {
          resolve(match[1]);
        }
      }
    };
    child.stdout.on('data', collect('stdout'));
    child.stderr.on('data', collect('stderr'));
    child.once('error', (error) => reject(new Error(`failed to start ${command}: ${error.message}`)));
    void exited.then(({ code, signal }) =>
      reject(new Error(`${name} exited (code ${code}, signal ${signal}) before logging its map address`)),
    );
  });

  try {
    const mapUrl = await withTimeout(url, timeoutMs, `waiting for ${name} to log "map: http://127.0.0.1:PORT/"`);
    return { child, exited, mapUrl };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/**
 * Sends SIGINT and waits for the process to exit; sends SIGKILL after
 * `timeoutMs`. Resolves with the exit code and signal.
 */
export async function stopServer(server, timeoutMs) {
  if (server.child.exitCode !== null || server.child.signalCode !== null) {
    return server.exited;
  }
  server.child.kill('SIGINT');
  try {
    return await withTimeout(server.exited, timeoutMs, 'waiting for the server to exit after SIGINT');
  } catch (error) {
    server.child.kill('SIGKILL');
    await server.exited;
    throw error;
  }
}

/**
 * Launches Chromium with a fresh profile folder and returns the browser
 * context and a function that closes it and removes the folder.
 */
export async function launchChromium(playwright, { viewport }) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), 'radstream-chromium-'));
  const context = await playwright.chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
  });
  const close = async () => {
    await context.close();
    await rm(userDataDir, { recursive: true, force: true });
  };
  return { context, close };
}
