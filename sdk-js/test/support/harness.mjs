// Test seams: a scripted fake gateway speaking protocol v1 over a real WebSocket server (the `ws`
// package), a manual clock for the SDK's timers, and helpers that await emitted events (no sleeps).
import { once } from 'node:events';
import { WebSocketServer, WebSocket } from 'ws';
import { SitewireClient } from '../../src/sitewire.js';

export { WebSocket };

/** A connection the fake gateway accepted: records client frames, sends what the test dictates. */
export class GatewayConnection {
  constructor(socket, request) {
    this.socket = socket;
    this.url = new URL(request.url, 'http://gateway');
    this.token = this.url.searchParams.get('access_token');
    this.authorization = request.headers.authorization ?? null;
    /** every frame received, in order */
    this.frames = [];
    this._read = new Map(); // op -> index of the next unread frame of that op
    this._waiters = [];
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()));
      for (const waiter of [...this._waiters]) waiter();
    });
  }

  /** The next frame of `op` not returned before (waits for it). */
  next(op) {
    return new Promise((resolve) => {
      const attempt = () => {
        const start = this._read.get(op) ?? 0;
        for (let i = start; i < this.frames.length; i += 1) {
          if (this.frames[i].op === op) {
            this._read.set(op, i + 1);
            this._waiters = this._waiters.filter((w) => w !== attempt);
            resolve(this.frames[i]);
            return true;
          }
        }
        return false;
      };
      if (!attempt()) this._waiters.push(attempt);
    });
  }

  /** Frames received so far with this op. */
  framesOf(op) {
    return this.frames.filter((frame) => frame.op === op);
  }

  send(...frames) {
    for (const frame of frames) this.socket.send(JSON.stringify(frame));
  }

  /** Confirms a subscribe, replays `events`, then says replayed. */
  accept(subscribe, { cursor = 'cur-0', events = [], replayed = true } = {}) {
    this.send({ op: 'subscribed', id: subscribe.id, rooms: subscribe.rooms, cursor });
    this.send(...events);
    const last = events.length > 0 ? events[events.length - 1].cursor : cursor;
    if (replayed) this.send({ op: 'replayed', id: subscribe.id, rooms: subscribe.rooms, cursor: last, count: events.length });
  }

  close(code, reason) {
    this.socket.close(code, reason);
  }

  /** Kills the TCP connection without a close frame (the client sees 1006). */
  kill() {
    this.socket.terminate();
  }
}

export class FakeGateway {
  static async start() {
    const gateway = new FakeGateway();
    gateway.server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(gateway.server, 'listening');
    gateway.server.on('connection', (socket, request) => {
      const connection = new GatewayConnection(socket, request);
      gateway.connections.push(connection);
      const waiter = gateway._waiters.shift();
      if (waiter) waiter(connection);
      else gateway._unclaimed.push(connection);
    });
    return gateway;
  }

  constructor() {
    this.connections = [];
    this._unclaimed = [];
    this._waiters = [];
  }

  get url() {
    return `ws://127.0.0.1:${this.server.address().port}/v1/stream`;
  }

  /** The next connection not returned before (waits for it). */
  nextConnection() {
    const ready = this._unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve) => this._waiters.push(resolve));
  }

  async stop() {
    for (const client of this.server.clients) client.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A manual clock: timers run only when the test advances time. */
export class FakeClock {
  constructor(start = 1_700_000_000_000) {
    this.time = start;
    this.timers = new Map();
    this.seq = 0;
    this.now = () => this.time;
    this.setTimeout = (fn, ms) => {
      this.seq += 1;
      this.timers.set(this.seq, { at: this.time + Math.max(0, ms), fn, ms });
      return this.seq;
    };
    this.clearTimeout = (id) => {
      this.timers.delete(id);
    };
  }

  /** Moves time forward, running due timers in order. */
  advance(ms) {
    const end = this.time + ms;
    for (;;) {
      let nextId = null;
      let next = null;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && (next === null || timer.at < next.at)) {
          nextId = id;
          next = timer;
        }
      }
      if (next === null) break;
      this.timers.delete(nextId);
      this.time = next.at;
      next.fn();
    }
    this.time = end;
  }

  /** Delays (from now) of the timers still pending. */
  pendingDelays() {
    return [...this.timers.values()].map((timer) => timer.at - this.time).sort((a, b) => a - b);
  }
}

/** Resolves with the arguments of the next emission of `name` matching `predicate`. */
export function nextEmit(client, name, predicate = () => true) {
  return new Promise((resolve) => {
    const off = client.on(name, (...args) => {
      if (predicate(...args)) {
        off();
        resolve(args.length > 1 ? args : args[0]);
      }
    });
  });
}

/** Resolves when the client enters `state`; resolves with the info of that transition. */
export function stateReached(client, state) {
  return nextEmit(client, 'state', (s) => s === state).then((args) => args[1]);
}

/** Records every emission of `name` (first argument). */
export function record(client, name) {
  const seen = [];
  client.on(name, (value) => seen.push(value));
  return seen;
}

/** An event frame; n picks the position and the cursor after it. */
export function eventFrame(room, n, { type = 'alert', priority = 'EMERGENCY', data } = {}) {
  return {
    op: 'event',
    room,
    type,
    priority,
    eventTime: 1_700_000_000_000 + n,
    pos: `sitewire.alerts.emergency-0@${n}`,
    cursor: `cur-${n}`,
    data: data ?? { alertId: `a-${n}`, projectId: 'p1' },
  };
}

/** Deterministic [0, 1) numbers (mulberry32). */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A client wired to the fake gateway with the fake clock; heartbeat off unless asked. */
export function clientFor(gateway, clock, options = {}) {
  return new SitewireClient({
    url: gateway.url,
    token: 'token-1',
    WebSocket,
    clock,
    random: () => 0,
    heartbeatMs: 0,
    ...options,
  });
}
