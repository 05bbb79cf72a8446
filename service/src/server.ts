import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.js';
import { NoteStore } from './note-store.js';

const SHUTDOWN_GRACE_MS = 800;

function readPort(raw: string | undefined): number {
  const port = Number(raw ?? 5000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a whole number from 0 to 65535, got "${raw}". Set PORT, e.g. PORT=5000.`);
    process.exit(2);
  }
  return port;
}

const port = readPort(process.env.PORT);
const store = await NoteStore.open(process.env.DATA_DIR ?? './data');
const server = createApp(store).listen(port, '0.0.0.0', () => {
  const { port: bound } = server.address() as AddressInfo;
  console.log(`Listening at http://0.0.0.0:${bound}`);
});

// Responses still being worked on; at shutdown they are told to close their connection, so that a
// keep-alive client does not hold the server open until the grace period runs out.
const inFlight = new Set<ServerResponse>();
let shuttingDown = false;
server.on('request', (_req, res: ServerResponse) => {
  if (shuttingDown) res.setHeader('connection', 'close');
  inFlight.add(res);
  res.once('close', () => inFlight.delete(res));
});

function shutdown(signal: string): void {
  console.log(`${signal} received: finishing in-flight requests`);
  shuttingDown = true;
  for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    console.log(`Shutdown grace of ${SHUTDOWN_GRACE_MS} ms over: closing the connections still open`);
    server.closeAllConnections();
    process.exit(0);
  }, SHUTDOWN_GRACE_MS).unref();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
