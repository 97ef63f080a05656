#!/usr/bin/env node
// A stand-in for radstream's web server: serves web/dist, sends made-up
// readings on /ws in radstream's message format, and serves /api/stats
// and /api/playback. The browser test runs against it with --mock, and the
// frame-rate measurement uses it to push 100,000 readings.
//
// Usage: node tests/browser/mock-server.mjs [--port N] [--history N]
//   [--rate N] [--max-batch N] [--serve-only] [--dist DIR]
// It logs "map: http://127.0.0.1:PORT/" on stderr, like radstream, and
// stops on SIGINT or SIGTERM.

import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parseArgs } from 'node:util';

import { WEB_DIR } from './support.mjs';

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    // Readings in the history frame each new connection gets first.
    history: { type: 'string', default: '2000' },
    // Readings per second in the live batches.
    rate: { type: 'string', default: '200' },
    // Readings per batch at most; the rest of a batch is counted as thinned.
    'max-batch': { type: 'string', default: '5000' },
    // Reject POST /api/playback with 409, as `radstream serve` does.
    'serve-only': { type: 'boolean', default: false },
    dist: { type: 'string', default: path.join(WEB_DIR, 'dist') },
  },
});

const HISTORY_SIZE = Number(options.history);
const RATE_PER_SECOND = Number(options.rate);
const MAX_BATCH = Number(options['max-batch']);
const BATCH_INTERVAL_MS = 100;
const RATE_WINDOW_MS = 5_000;
const START_EVENT_MS = Date.UTC(2012, 2, 29, 7, 0, 0);

const require = createRequire(path.join(WEB_DIR, 'package.json'));
const { WebSocketServer } = require('ws');

// Deterministic pseudo-random numbers (mulberry32), so runs are comparable.
let randomState = 0x2f6e2b1;
function random() {
  randomState = (randomState + 0x6d2b79f5) | 0;
  let t = randomState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

function gaussian() {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Places readings cluster around, with a spread in degrees and a typical CPM. */
const PLACES = [
  { name: 'Fukushima, Japan', lat: 37.42, lon: 141.03, spread: 0.25, cpm: 260 },
  { name: 'Koriyama, Japan', lat: 37.4, lon: 140.38, spread: 0.3, cpm: 90 },
  { name: 'Sendai, Japan', lat: 38.27, lon: 140.87, spread: 0.4, cpm: 45 },
  { name: 'Tokyo, Japan', lat: 35.68, lon: 139.69, spread: 0.5, cpm: 35 },
  { name: 'Los Angeles, USA', lat: 34.05, lon: -118.24, spread: 0.6, cpm: 30 },
  { name: 'Frankfurt, Germany', lat: 50.11, lon: 8.68, spread: 0.8, cpm: 28 },
];

let eventMs = START_EVENT_MS;
let playbackSpeed = 60;
let nextId = 1;

function levelOf(cpm) {
  if (cpm < 50) return 'low';
  if (cpm < 200) return 'moderate';
  return 'high';
}

function makeReading({ cpm, late = false, place } = {}) {
  const id = nextId;
  nextId += 1;
  const where = place ?? PLACES[Math.floor(random() * PLACES.length)];
  const value = Math.max(5, Math.round(cpm ?? where.cpm * Math.exp(0.6 * gaussian())));
  const critical = value >= 1000;
  const capturedMs = late ? eventMs - 10 * 60_000 : eventMs;
  const timestamp = new Date(capturedMs).toISOString().replace('.000Z', 'Z');
  const lat = Math.max(-89, Math.min(89, where.lat + where.spread * gaussian()));
  const lon = where.lon + where.spread * gaussian();
  return {
    status: critical ? 'critical' : 'processed',
    timestamp,
    lat: Number(lat.toFixed(6)),
    lon: Number(lon.toFixed(6)),
    value,
    unit: 'cpm',
    level: levelOf(value),
    critical,
    cpm: value,
    dose_usvh: Number((value / 334).toFixed(4)),
    device_id: String(100 + (id % 40)),
    location_name: where.name,
    height: null,
    source: `mock-feed.csv:${id + 1}`,
    origin: `radiation-data/${id % 4}@${id}`,
    key: `mock|${id}`,
    ...(late ? { late: true } : {}),
    group_second: timestamp,
    group_size: 1,
  };
}

// Counters behind /api/stats.
const counts = { input: 0, processed: 0, critical: 0, dirty: 0, duplicates: 0, late: 0, mapReadings: 0 };
const dirtyByReason = { unparseable: 0, latitude_invalid: 0, time_before_minimum: 0 };
const dirtyExamples = [];
const rateHistory = [];
let slowDisconnects = 0;
const startedMs = Date.now();

function countReading(reading) {
  counts.input += 1;
  counts.mapReadings += 1;
  if (reading.critical) counts.critical += 1;
  else counts.processed += 1;
  if (reading.late) counts.late += 1;
}

function countDirty(batchSize) {
  // About one dirty record per 20 readings and one duplicate per 10.
  const dirty = Math.round(batchSize / 20);
  counts.duplicates += Math.round(batchSize / 10);
  counts.input += dirty + Math.round(batchSize / 10);
  const reasons = Object.keys(dirtyByReason);
  for (let index = 0; index < dirty; index += 1) {
    const reason = reasons[Math.floor(random() * reasons.length)];
    dirtyByReason[reason] += 1;
    counts.dirty += 1;
    dirtyExamples.unshift({
      reason,
      message: reason === 'latitude_invalid' ? 'latitude "91.5" is not a number in [-90, 90]' : `made-up ${reason} record`,
      source: `mock-feed.csv:${nextId}`,
      timestamp: new Date(eventMs).toISOString(),
    });
  }
  dirtyExamples.length = Math.min(dirtyExamples.length, 5);
}

function topicRecords() {
  return {
    'radiation-data': counts.input,
    'processed-data-output': counts.processed,
    'critical-data': counts.critical,
    'dirty-data': counts.dirty,
  };
}

function buildStats(clients) {
  const now = Date.now();
  const records = topicRecords();
  rateHistory.push({ timeMs: now, records });
  while (rateHistory.length > 1 && rateHistory[0].timeMs < now - RATE_WINDOW_MS) rateHistory.shift();
  const oldest = rateHistory[0];
  const seconds = Math.max((now - oldest.timeMs) / 1000, 1);
  const topics = {};
  for (const [topic, total] of Object.entries(records)) {
    topics[topic] = { records: total, per_second: Number(((total - oldest.records[topic]) / seconds).toFixed(1)) };
  }
  return {
    ...counts,
    filtered: 0,
    dirty_by_reason: dirtyByReason,
    dirty_examples: dirtyExamples,
    topics,
    consumer_lag: Math.round(random() * 50),
    watermark: new Date(eventMs - 5_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    dedup_entries: counts.processed + counts.critical,
    uptime_seconds: (now - startedMs) / 1000,
    playback_speed: playbackSpeed,
    websocket_clients: clients,
    websocket_slow_disconnects: slowDisconnects,
    map_readings: counts.mapReadings,
  };
}

// The first live batches carry the two critical readings of safecast-dump-2.csv.
const scheduledCritical = [
  makeReading({ cpm: 10000, place: PLACES[0] }),
  makeReading({ cpm: 100000, place: PLACES[0] }),
];
const history = [];
for (let index = 0; index < HISTORY_SIZE; index += 1) {
  const reading = makeReading();
  history.push(reading);
  countReading(reading);
  if (index % 50 === 0) eventMs += 1000;
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
};

function sendJson(response, status, body) {
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
}

async function readBody(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function handlePlayback(request, response) {
  if (request.method === 'GET') {
    sendJson(response, 200, { speed: playbackSpeed });
    return;
  }
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: `method ${request.method} is not allowed; use GET or POST` });
    return;
  }
  if (options['serve-only']) {
    sendJson(response, 409, { error: 'this process runs no ingest stage (radstream serve), so it has no playback speed' });
    return;
  }
  let body;
  try {
    body = JSON.parse(await readBody(request));
  } catch {
    sendJson(response, 400, { error: 'the body is not JSON; send {"speed": 60}' });
    return;
  }
  const speed = body?.speed;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed < 0) {
    sendJson(response, 400, { error: `invalid speed ${JSON.stringify(speed)}: expected a number of at least 0` });
    return;
  }
  playbackSpeed = speed;
  sendJson(response, 200, { speed });
}

async function handleStatic(request, response) {
  const pathname = new URL(request.url, 'http://127.0.0.1').pathname;
  const relative = pathname === '/' ? 'index.html' : pathname.slice(1);
  const file = path.resolve(options.dist, relative);
  if (!file.startsWith(path.resolve(options.dist) + path.sep)) {
    sendJson(response, 404, { error: `not found: ${pathname}` });
    return;
  }
  try {
    const content = await readFile(file);
    response.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    response.end(content);
  } catch {
    sendJson(response, 404, { error: `not found: ${pathname}` });
  }
}

const server = createServer((request, response) => {
  const pathname = new URL(request.url, 'http://127.0.0.1').pathname;
  if (pathname === '/api/stats') {
    sendJson(response, 200, buildStats(sockets.clients.size));
  } else if (pathname === '/api/playback') {
    void handlePlayback(request, response);
  } else if (pathname === '/health') {
    sendJson(response, 200, { status: 'ok' });
  } else {
    void handleStatic(request, response);
  }
});

const sockets = new WebSocketServer({ server, path: '/ws' });
sockets.on('connection', (socket) => {
  socket.send(JSON.stringify({ type: 'history', readings: history.slice(-HISTORY_SIZE) }));
});

let carry = 0;
const batchTimer = setInterval(() => {
  carry += (RATE_PER_SECOND * BATCH_INTERVAL_MS) / 1000;
  const size = Math.floor(carry);
  carry -= size;
  const advanceMs = playbackSpeed === 0 ? 60_000 : playbackSpeed * BATCH_INTERVAL_MS;
  eventMs += advanceMs;

  const readings = scheduledCritical.splice(0);
  for (let index = readings.length; index < size; index += 1) {
    readings.push(makeReading({ late: index % 50 === 49 }));
  }
  readings.forEach(countReading);
  countDirty(readings.length);

  const sent = readings.slice(0, MAX_BATCH);
  const thinned = readings.length - sent.length;
  history.push(...sent);
  if (history.length > HISTORY_SIZE) history.splice(0, history.length - HISTORY_SIZE);

  if (sent.length === 0) return;
  const frame = JSON.stringify({ type: 'readings', readings: sent, ...(thinned > 0 ? { thinned } : {}) });
  for (const socket of sockets.clients) {
    if (socket.bufferedAmount > 64 * 1024 * 1024) {
      slowDisconnects += 1;
      socket.terminate();
    } else {
      socket.send(frame);
    }
  }
}, BATCH_INTERVAL_MS);

server.listen(Number(options.port), '127.0.0.1', () => {
  const { port } = server.address();
  console.error(`mock: serving ${options.dist}, ${HISTORY_SIZE} history readings, ${RATE_PER_SECOND} readings/s`);
  console.error(`map: http://127.0.0.1:${port}/`);
});

function stop(signal) {
  console.error(`mock: stopping on ${signal}`);
  clearInterval(batchTimer);
  for (const socket of sockets.clients) socket.terminate();
  sockets.close();
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
