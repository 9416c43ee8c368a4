// Seeded-random model check of flow control: the SDK against a model gateway that enforces the window
// exactly as the protocol says (at most N frames sent and not acknowledged, EMERGENCY/URGENT events sent
// regardless, acks validated like the gateway does), over an in-memory socket whose delivery order the seed
// decides, with listeners that ping, links that die, and gateways that do not know `flow`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SitewireClient } from '../src/sitewire.js';
import { FakeClock, seededRandom } from './support/harness.mjs';

const ROOM = 'project:p-model';
const TRIES = 300;

/** One connection as the gateway sees it. */
class ModelConnection {
  constructor(socket, knowsFlow, check) {
    this.socket = socket;
    this.knowsFlow = knowsFlow;
    this.check = check;
    this.window = 0; // 0: no window asked for (yet)
    this.sent = 0;
    this.acked = 0;
    this.acks = 0;
    this.clientFrames = 0;
    this.backlog = []; // frames held back by the window, in order
    this.wire = []; // frames sent, not yet delivered to the client
    this.fromClient = []; // client frames not yet read
  }

  /** The gateway sends or holds back `frame` (urgent events are never held back). */
  offer(frame) {
    const urgent = frame.op === 'event' && (frame.priority === 'EMERGENCY' || frame.priority === 'URGENT');
    if (urgent || (this.backlog.length === 0 && this.mayWrite())) this.write(frame);
    else this.backlog.push(frame);
  }

  mayWrite() {
    return this.window === 0 || this.sent - this.acked < this.window;
  }

  write(frame) {
    this.sent += 1;
    this.wire.push(frame);
  }

  pump() {
    while (this.backlog.length > 0 && this.mayWrite()) this.write(this.backlog.shift());
  }

  read() {
    const frame = this.fromClient.shift();
    this.clientFrames += 1;
    if (frame.op === 'flow') {
      this.check(this.clientFrames === 1, 'flow is the first client frame of a connection');
      if (!this.knowsFlow) {
        this.offer({ op: 'error', id: frame.id, code: 'bad_request', message: 'unknown op: flow' });
        return;
      }
      this.check(Number.isInteger(frame.window) && frame.window >= 8 && frame.window <= 4096, `window ${frame.window}`);
      this.write({ op: 'flow', id: frame.id, window: frame.window });
      this.window = frame.window;
    } else if (frame.op === 'ack') {
      this.check(this.knowsFlow && this.window > 0, 'acks only after a granted window');
      this.check(Number.isInteger(frame.received) && frame.received > this.acked && frame.received <= this.sent,
        `ack ${frame.received} after ${this.acked}, ${this.sent} sent`);
      this.acked = frame.received;
      this.acks += 1;
      this.pump();
    } else if (frame.op === 'subscribe') {
      this.offer({ op: 'subscribed', id: frame.id, rooms: frame.rooms, cursor: 'cur-0' });
    } else if (frame.op === 'ping') {
      this.offer({ op: 'pong', id: frame.id, serverTime: 0 });
    }
  }
}

/** The WebSocket the SDK gets: sends go to the model connection, nothing happens until the test delivers. */
function socketClass(world) {
  return class ModelSocket {
    constructor() {
      this.readyState = 0;
      this.onopen = null;
      this.onmessage = null;
      this.onclose = null;
      this.onerror = null;
      world.connect(this);
    }

    send(data) {
      if (this.readyState !== 1) throw new Error('not open');
      world.connection.fromClient.push(JSON.parse(data));
    }

    close() {
      this.readyState = 3;
    }
  };
}

async function runTry(seed) {
  const random = seededRandom(seed);
  const pick = (n) => Math.floor(random() * n);
  const failures = [];
  const check = (ok, what) => { if (!ok) failures.push(what); };
  const window = 8 + pick(57);
  const world = {
    connection: null,
    connections: [],
    connect(socket) {
      this.connection = new ModelConnection(socket, random() < 0.8, check);
      this.connections.push(this.connection);
    },
  };
  const clock = new FakeClock();
  const client = new SitewireClient({
    url: 'ws://model/v1/stream', token: 't', WebSocket: socketClass(world), clock, random, heartbeatMs: 0,
    rooms: [ROOM], window,
  });
  let handled = 0;
  client.on('event', () => {
    handled += 1;
    if (random() < 0.05) client.ping().catch(() => {});
  });
  client.on('error', () => {});
  client.connect();

  const total = 200 + pick(400);
  let produced = 0;
  let deaths = 0;
  for (let steps = 0; steps < 100_000; steps += 1) {
    const conn = world.connection;
    if (conn === null || conn.socket.readyState === 3) {
      await new Promise((resolve) => setImmediate(resolve)); // the SDK dials asynchronously (token, storage)
      continue;
    }
    if (conn.socket.readyState === 0) {
      conn.socket.readyState = 1;
      conn.socket.onopen();
      continue;
    }
    const canDeliver = conn.wire.length > 0;
    const canRead = conn.fromClient.length > 0;
    const canProduce = produced < total;
    if (!canDeliver && !canRead && !canProduce) break;
    const roll = random();
    if (roll < 0.004 && deaths < 3) {
      // the link dies: what was on the wire is lost, the gateway forgets the connection, the client comes back
      deaths += 1;
      conn.socket.readyState = 3;
      conn.socket.onclose({ code: 1006, reason: '' });
      clock.advance(60_000);
      continue;
    }
    if (canProduce && (roll < 0.4 || (!canDeliver && !canRead))) {
      produced += 1;
      const urgent = random() < 0.1;
      conn.offer(random() < 0.15
        ? { op: 'presence', room: ROOM, kind: 'join', clients: [] }
        : { op: 'event', room: ROOM, type: 'alert', priority: urgent ? 'EMERGENCY' : 'LOW', pos: `p@${produced}`, cursor: `cur-${produced}`, data: {} });
    } else if (canRead && (roll < 0.6 || !canDeliver)) {
      conn.read();
    } else {
      const burst = 1 + pick(8);
      for (let i = 0; i < burst && conn.wire.length > 0 && world.connection === conn; i += 1) {
        conn.socket.onmessage({ data: JSON.stringify(conn.wire.shift()) });
      }
    }
  }
  const last = world.connection;
  // No stall: everything produced on the last connection reached the client, with less than half a window unacked.
  check(last.backlog.length === 0 && last.wire.length === 0, `stalled: ${last.backlog.length} held back, ${last.wire.length} on the wire`);
  if (last.knowsFlow && last.window > 0) {
    check(last.sent - last.acked < window / 2, `${last.sent - last.acked} unacked at rest, window ${window}`);
  }
  for (const conn of world.connections) {
    if (!conn.knowsFlow) check(conn.acks === 0, 'no ack to a gateway that refused flow');
  }
  check(handled > 0, 'events were delivered');
  client.close();
  return { failures, acks: world.connections.reduce((n, conn) => n + conn.acks, 0) };
}

test(`seeded model: acks are valid and the window never stalls the stream (${TRIES} tries)`, async () => {
  let acks = 0;
  for (let seed = 1; seed <= TRIES; seed += 1) {
    const result = await runTry(seed);
    assert.deepEqual(result.failures, [], `seed ${seed}`);
    acks += result.acks;
  }
  assert.ok(acks > TRIES, `the tries exercised acking (${acks} acks)`);
});
