#!/usr/bin/env node
// Tails Sitewire rooms from the command line: one JSON line per event on stdout, status on stderr.
// Usable as a smoke test against a real gateway.
//
//   SITEWIRE_URL=ws://127.0.0.1:8080/v1/stream SITEWIRE_TOKEN=<jwt> \
//     node examples/node-tail.mjs [--max N] [--seconds T] [--from latest|earliest|<epoch ms>] [--query-token]
//       [--heartbeat-ms MS] [--window N] room...
//
// Exit codes: 0 after --max events (or when --seconds ends and no --max was given); 2 when --seconds ends
// before --max events; 3 unauthorized/forbidden; 4 a subscribe was refused; 1 usage or other errors.
// On Node < 22 it needs the `ws` package (npm ci in sdk-js); Node >= 22 uses its global WebSocket.
import { SitewireClient } from '../src/sitewire.js';

const USAGE = 'usage: SITEWIRE_URL=ws://host:port/v1/stream SITEWIRE_TOKEN=jwt node examples/node-tail.mjs '
  + '[--max N] [--seconds T] [--from latest|earliest|<epoch ms>] [--query-token] [--heartbeat-ms MS] [--window N] room...';

function parseArgs(argv) {
  const options = { max: 0, seconds: 0, from: undefined, queryToken: false, heartbeatMs: 15000, window: undefined, rooms: [] };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    if (arg === '--max') options.max = Number(value());
    else if (arg === '--seconds') options.seconds = Number(value());
    else if (arg === '--heartbeat-ms') options.heartbeatMs = Number(value());
    else if (arg === '--window') options.window = Number(value());
    else if (arg === '--from') {
      const from = value();
      options.from = /^\d+$/.test(from) ? Number(from) : from;
    } else if (arg === '--query-token') options.queryToken = true;
    else if (arg === '--help' || arg === '-h') throw new Error('help');
    else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.rooms.push(arg);
  }
  if (!(options.max >= 0) || !(options.seconds >= 0)) throw new Error('--max and --seconds take non-negative numbers');
  if (options.window !== undefined && !(options.window === 0 || (Number.isInteger(options.window) && options.window >= 8 && options.window <= 4096))) {
    throw new Error('--window takes 0 (no flow control) or an integer within [8, 4096]');
  }
  if (options.rooms.length === 0) throw new Error('name at least one room, e.g. project:p1');
  return options;
}

function status(kind, details = {}) {
  process.stderr.write(`${JSON.stringify({ status: kind, ...details })}\n`);
}

async function webSocketImplementation() {
  if (typeof globalThis.WebSocket === 'function') return { WebSocket: globalThis.WebSocket, headers: false };
  const ws = await import('ws');
  return { WebSocket: ws.WebSocket || ws.default, headers: true };
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (error.message !== 'help') process.stderr.write(`${error.message}\n`);
    process.stderr.write(`${USAGE}\n`);
    return 1;
  }
  const url = process.env.SITEWIRE_URL;
  const token = process.env.SITEWIRE_TOKEN;
  if (!url || !token) {
    process.stderr.write(`SITEWIRE_URL and SITEWIRE_TOKEN must be set\n${USAGE}\n`);
    return 1;
  }
  const { WebSocket, headers } = await webSocketImplementation();
  const client = new SitewireClient({
    url,
    token,
    WebSocket,
    auth: headers && !options.queryToken ? 'header' : 'query',
    heartbeatMs: options.heartbeatMs,
    window: options.window,
  });

  return new Promise((resolve) => {
    let received = 0;
    let timer = null;
    let done = false;
    const finish = (code) => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      client.close();
      status('exit', { code, received, cursor: client.cursor });
      resolve(code);
    };
    client.on('event', (frame) => {
      received += 1;
      process.stdout.write(`${JSON.stringify(frame)}\n`);
      if (options.max > 0 && received >= options.max) finish(0);
    });
    client.on('state', (state, info) => {
      status('state', { state, ...info });
      if (state === 'unauthorized') finish(3);
    });
    client.on('resumed', (info) => status('resumed', info));
    client.on('replayed', (frame) => status('replayed', { rooms: frame.rooms }));
    client.on('gap', (frame) => status('gap', frame));
    client.on('error', (error) => status('error', { code: error.code, message: error.message }));
    if (options.seconds > 0) {
      timer = setTimeout(() => finish(options.max > 0 ? 2 : 0), options.seconds * 1000);
    }
    client.connect();
    client.subscribe(options.rooms, { from: options.from }).then(
      (result) => status('subscribed', result),
      (error) => {
        if (error.code !== 'closed' && error.code !== 'unauthorized' && error.code !== 'forbidden') finish(4);
      },
    );
  });
}

process.exitCode = await main();
