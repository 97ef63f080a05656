// Connects to radstream's /ws as a browser would and counts what arrives,
// so the ingest-to-WebSocket latency is measured with a client attached.
// Usage: node ws_listen.mjs ws://127.0.0.1:PORT/ws
// Prints {"messages":N,"readings":N} when the server closes the connection.
// Node 22 has a global WebSocket; Node 20 needs --experimental-websocket.
const url = process.argv[2];
if (!url) {
  console.error('usage: node ws_listen.mjs ws://HOST:PORT/ws');
  process.exit(2);
}
if (typeof WebSocket === 'undefined') {
  console.error('this Node.js has no WebSocket client; run it with --experimental-websocket (Node 20) or use Node 22');
  process.exit(2);
}

let messages = 0;
let readings = 0;
const socket = new WebSocket(url);
socket.addEventListener('message', (event) => {
  messages += 1;
  const batch = JSON.parse(event.data);
  readings += Array.isArray(batch.readings) ? batch.readings.length : 0;
});
socket.addEventListener('error', () => {
  console.error(`ws_listen: the connection to ${url} failed`);
});
socket.addEventListener('close', () => {
  console.log(JSON.stringify({ messages, readings }));
  process.exit(0);
});
