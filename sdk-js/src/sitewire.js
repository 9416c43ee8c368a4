/**
 * Sitewire client SDK: one dependency-free ES module for browsers and Node >= 18.
 *
 * Speaks Sitewire WebSocket protocol v1 (GET /v1/stream): subscribe to rooms, receive events, and after a
 * lost link resume from the last cursor so every missed event arrives once, in order. The client
 * de-duplicates on (room, pos), reconnects with exponential backoff and jitter, detects dead links with a
 * heartbeat, and keeps a bounded queue of outgoing frames while offline. Subscriptions are state, not
 * queued frames: whatever rooms the application wants are (re)subscribed on every connection. By default each
 * connection asks the gateway for a flow-control window and acknowledges what it received, so the gateway
 * never has more than that many frames in flight and an EMERGENCY frame never waits behind a network full of
 * bulk frames.
 *
 * A classic-script build (window.Sitewire) is generated into dist/sitewire.umd.js by scripts/build-umd.mjs.
 */

/** SDK version. */
export const VERSION = '0.1.0';

/** Close codes of the protocol the client reacts to. */
export const CLOSE_CODES = Object.freeze({
  NORMAL: 1000,
  GOING_AWAY: 1001,
  UNAUTHORIZED: 4001,
  FORBIDDEN: 4003,
  SLOW_CONSUMER: 4008,
  RATE_LIMITED: 4029,
});

/** Close code the client uses when it drops a connection itself (dead link, lost subscriptions). */
const CLIENT_RESTART_CODE = 4000;
const OPEN = 1;
/** The gateway accepts at most this many rooms in one subscribe frame. */
const MAX_ROOMS_PER_FRAME = 100;
/** The flow-control windows the gateway accepts. */
const MIN_WINDOW = 8;
const MAX_WINDOW = 4096;
/** Client frames that belong to one connection: the client sends them itself, they are never queued. */
const CONNECTION_OPS = new Set(['flow', 'ack']);

/** Defaults of every option; see SitewireClientOptions. */
export const DEFAULTS = Object.freeze({
  backoff: Object.freeze({ initialMs: 500, maxMs: 30000, factor: 2, jitter: 0.5 }),
  heartbeatMs: 15000,
  offlineQueueLimit: 100,
  dedupeWindow: 10000,
  auth: 'query',
  storageKey: 'sitewire.cursor',
  window: 256,
});

/** Names the client emits itself; an event whose `type` is one of these is only emitted as 'event'. */
const RESERVED_EVENTS = new Set([
  'event', 'frame', 'state', 'subscribed', 'unsubscribed', 'replayed', 'gap', 'presence', 'snapshot', 'pong', 'error',
  'resumed',
]);

/**
 * @typedef {'connecting'|'live'|'reconnecting'|'resuming'|'closed'|'unauthorized'} ConnectionState
 *
 * @typedef {Object} EventFrame
 * @property {'event'} op
 * @property {string} room
 * @property {string} type      EventType json name: alert, worker_position, sensor_reading, ...
 * @property {string} [priority] EMERGENCY | URGENT | HIGH | NORMAL | LOW
 * @property {number} [eventTime] epoch ms
 * @property {string} pos       opaque unique record position
 * @property {string} cursor    resume point after this event
 * @property {Object} data      the record's JSON form
 *
 * @typedef {Object} BackoffOptions
 * @property {number} [initialMs] first delay (500)
 * @property {number} [maxMs] cap (30000)
 * @property {number} [factor] growth per attempt (2)
 * @property {number} [jitter] 0..1: the delay is drawn from [d * (1 - jitter), d] (0.5)
 *
 * @typedef {Object} Clock
 * @property {() => number} now
 * @property {(fn: () => void, ms: number) => any} setTimeout
 * @property {(handle: any) => void} clearTimeout
 *
 * @typedef {Object} CursorStorage
 * @property {(key: string) => (string|null|undefined|Promise<string|null|undefined>)} get
 * @property {(key: string, value: string) => (void|Promise<void>)} set
 */

/**
 * An error the client reports: as the payload of the 'error' event and as the rejection of its promises.
 * `code` is a protocol error code (unauthorized, forbidden, bad_request, too_large, rate_limited,
 * unknown_room, unavailable) or a client one (offline_queue_full, heartbeat_timeout, token_error, connection_lost,
 * closed, unsubscribed, bad_frame, resume_rejected, storage_error, socket_error, listener_error).
 */
export class SitewireError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Object} [details] copied onto the error (closeCode, reason, frame, dropped, id, rooms, cause)
   */
  constructor(code, message, details) {
    super(message);
    this.name = 'SitewireError';
    this.code = code;
    if (details) Object.assign(this, details);
  }
}

/**
 * The delay before reconnect attempt `attempt` (0-based): min(maxMs, initialMs * factor^attempt), then
 * jittered down by up to `jitter` of itself, so delays fall in [d * (1 - jitter), d].
 * @param {number} attempt
 * @param {BackoffOptions} backoff
 * @param {() => number} [random] returns [0, 1)
 * @returns {number} milliseconds
 */
export function backoffDelay(attempt, backoff, random = Math.random) {
  const b = { ...DEFAULTS.backoff, ...backoff };
  const ceiling = Math.min(b.maxMs, b.initialMs * Math.pow(b.factor, Math.max(0, attempt)));
  const r = Math.min(Math.max(Number(random()) || 0, 0), 1);
  return Math.round(ceiling * (1 - b.jitter * r));
}

/** Builders for the room names of protocol v1. */
export const Rooms = Object.freeze({
  project: (p) => `project:${p}`,
  management: (p) => `management:project:${p}`,
  trade: (t, p) => `trade:${t}:project:${p}`,
  equipment: (e, p) => `equipment:${e}:project:${p}`,
  safetyZone: (z, p) => `safety-zone:${z}:project:${p}`,
  worker: (w, p) => `worker:${w}:project:${p}`,
});

const ROOM_ID = '[A-Za-z0-9._-]{1,128}';
const ROOM_PATTERN = new RegExp(
  `^(?:project:${ROOM_ID}|management:project:${ROOM_ID}|(?:trade|equipment|safety-zone|worker):${ROOM_ID}:project:${ROOM_ID})$`);

/**
 * Whether `name` is a well-formed room name of protocol v1 (the gateway has the last word).
 * @param {string} name
 */
export function isRoom(name) {
  return typeof name === 'string' && ROOM_PATTERN.test(name);
}

/**
 * Remembers the last `limit` positions seen per room, least recently seen evicted first.
 */
class PositionMemory {
  constructor(limit) {
    this.limit = limit;
    /** @type {Map<string, Set<string>>} */
    this.rooms = new Map();
  }

  /** @returns {boolean} true when (room, pos) is new; records it. */
  remember(room, pos) {
    let seen = this.rooms.get(room);
    if (!seen) {
      seen = new Set();
      this.rooms.set(room, seen);
    }
    if (seen.has(pos)) {
      seen.delete(pos); // refresh: a position seen again is recent
      seen.add(pos);
      return false;
    }
    seen.add(pos);
    if (seen.size > this.limit) seen.delete(seen.values().next().value);
    return true;
  }

  forget(room) {
    this.rooms.delete(room);
  }
}

/**
 * Flow control of one connection. The gateway keeps at most `window` frames sent but not acknowledged; the
 * client counts every text frame received since the connection opened and acknowledges the count each time
 * half a window has arrived, so the gateway never stalls on a client that keeps up. Acks start only once the
 * gateway confirmed the window: a gateway without flow control refuses the `flow` frame, and then this
 * connection carries on without a window and without acks.
 */
class FlowWindow {
  /**
   * @param {number} window the window asked for
   * @param {string} id the id of the `flow` frame, to recognise its refusal
   */
  constructor(window, id) {
    this.window = window;
    this.id = id;
    /** @type {'asked'|'granted'|'refused'} */
    this.status = 'asked';
    this.received = 0;
    this.acked = 0;
  }

  countFrame() {
    this.received += 1;
  }

  /** The gateway's `flow` answer; a smaller window than asked for (a gateway's cap) is the one that binds. */
  granted(frame) {
    if (this.status !== 'asked') return;
    this.status = 'granted';
    if (Number.isInteger(frame.window) && frame.window > 0 && frame.window < this.window) this.window = frame.window;
  }

  /** Whether `frame` is the gateway's refusal of the `flow` frame. */
  isRefusal(frame) {
    return this.status === 'asked' && frame.id === this.id;
  }

  refused() {
    this.status = 'refused';
  }

  /** The count to acknowledge now, or null. */
  due() {
    if (this.status !== 'granted' || this.received - this.acked < this.window / 2) return null;
    return this.received;
  }
}

/** A small event emitter that works the same in browsers and Node. */
class Emitter {
  constructor() {
    /** @type {Map<string, Set<Function>>} */
    this._listeners = new Map();
  }

  /**
   * Adds a listener; returns a function that removes it.
   * @param {string} name
   * @param {Function} listener
   * @returns {() => void}
   */
  on(name, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    let set = this._listeners.get(name);
    if (!set) {
      set = new Set();
      this._listeners.set(name, set);
    }
    set.add(listener);
    return () => this.off(name, listener);
  }

  /** Adds a listener called at most once. */
  once(name, listener) {
    const off = this.on(name, (...args) => {
      off();
      listener(...args);
    });
    return off;
  }

  off(name, listener) {
    const set = this._listeners.get(name);
    if (set) set.delete(listener);
  }

  /** Calls the listeners of `name`; a throwing listener cannot break the client or other listeners. */
  _emit(name, ...args) {
    const set = this._listeners.get(name);
    if (!set || set.size === 0) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (cause) {
        if (name === 'error') {
          if (typeof console !== 'undefined') console.error('sitewire: error listener threw', cause);
        } else {
          this._emit('error', new SitewireError('listener_error', `a '${name}' listener threw: ${cause && cause.message}`, { cause }));
        }
      }
    }
  }
}

/** A promise whose rejection never counts as unhandled (callers may ignore it; errors are also emitted). */
function settleable() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function defaultClock() {
  return {
    now: () => Date.now(),
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle),
  };
}

function validFrom(from) {
  return from === undefined || from === 'latest' || from === 'earliest' || (Number.isFinite(from) && from >= 0);
}

function windowOption(window) {
  if (window === 0 || window === false) return 0;
  if (Number.isInteger(window) && window >= MIN_WINDOW && window <= MAX_WINDOW) return window;
  throw new TypeError(`window must be 0 or false (no flow control) or an integer within [${MIN_WINDOW}, ${MAX_WINDOW}]`);
}

function roomList(rooms) {
  const list = typeof rooms === 'string' ? [rooms] : Array.isArray(rooms) ? rooms : null;
  if (!list || list.length === 0) throw new TypeError('rooms must be a room name or a non-empty array of them');
  for (const room of list) {
    if (typeof room !== 'string' || room.length === 0 || /\s/.test(room)) {
      throw new TypeError(`not a room name: ${JSON.stringify(room)}`);
    }
  }
  return [...new Set(list)];
}

/**
 * The Sitewire client. See README.md for the full contract.
 *
 * States: 'connecting' (first connection) → 'live' | 'resuming' (replaying what was missed, then 'live');
 * after a lost link 'reconnecting' → 'resuming' → 'live'; 'closed' after close(); 'unauthorized' after a
 * 4001/4003 close (no automatic reconnect: call connect() again, e.g. with a fresh token).
 *
 * Events: 'event' (every event frame) and each frame.type ('alert', 'worker_position', ...); 'state'
 * (state, info); 'subscribed', 'unsubscribed', 'replayed', 'gap', 'presence', 'snapshot', 'pong' (the
 * frames); 'resumed' ({replayedCount, duplicates, gaps, serverCount, cursor}); 'error' (SitewireError);
 * 'frame' (every inbound frame).
 */
export class SitewireClient extends Emitter {
  /**
   * @param {Object} options
   * @param {string} options.url ws(s)://host/v1/stream (an http(s) URL or a path like '/v1/stream' is
   *   turned into the WebSocket URL; a URL without a path gets /v1/stream)
   * @param {string} [options.token] a JWT
   * @param {() => (string|Promise<string>)} [options.getToken] called before every connection attempt
   * @param {Function} [options.WebSocket] a WebSocket implementation (e.g. the `ws` package on Node < 22)
   * @param {string[]} [options.rooms] rooms to subscribe to on connect
   * @param {BackoffOptions} [options.backoff]
   * @param {number} [options.heartbeatMs] ping period; no frame for 2x this means the link is dead (0: off)
   * @param {number} [options.offlineQueueLimit] outgoing frames kept while offline
   * @param {number} [options.dedupeWindow] positions remembered per room for de-duplication
   * @param {number|false} [options.window] flow-control window asked for on every connection, 8..4096
   *   (256); 0 or false: none (the gateway then sends as fast as the network takes)
   * @param {'query'|'header'} [options.auth] token as ?access_token= (works everywhere) or as an
   *   Authorization header (only WebSocket implementations that take {headers}, like `ws`)
   * @param {CursorStorage} [options.storage] persists the cursor across page reloads
   * @param {string} [options.storageKey]
   * @param {Clock} [options.clock] timer seam (tests)
   * @param {() => number} [options.random] jitter source (tests)
   */
  constructor(options) {
    super();
    if (!options || typeof options.url !== 'string' || options.url.length === 0) {
      throw new TypeError('options.url is required');
    }
    this._url = options.url;
    this._token = options.token;
    this._getToken = options.getToken;
    this._WebSocket = options.WebSocket || globalThis.WebSocket;
    if (typeof this._WebSocket !== 'function') {
      throw new TypeError('no WebSocket implementation: pass options.WebSocket (e.g. the `ws` package on Node)');
    }
    this._backoff = { ...DEFAULTS.backoff, ...(options.backoff || {}) };
    for (const key of ['initialMs', 'maxMs', 'factor', 'jitter']) {
      if (!Number.isFinite(this._backoff[key]) || this._backoff[key] < 0) {
        throw new TypeError(`backoff.${key} must be a non-negative number`);
      }
    }
    if (this._backoff.jitter > 1) throw new TypeError('backoff.jitter must be within [0, 1]');
    this._heartbeatMs = options.heartbeatMs ?? DEFAULTS.heartbeatMs;
    this._queueLimit = options.offlineQueueLimit ?? DEFAULTS.offlineQueueLimit;
    this._auth = options.auth ?? DEFAULTS.auth;
    if (this._auth !== 'query' && this._auth !== 'header') throw new TypeError("auth must be 'query' or 'header'");
    this._storage = options.storage || null;
    this._storageKey = options.storageKey ?? DEFAULTS.storageKey;
    this._clock = { ...defaultClock(), ...(options.clock || {}) };
    this._random = options.random || Math.random;
    this._positions = new PositionMemory(options.dedupeWindow ?? DEFAULTS.dedupeWindow);
    this._window = windowOption(options.window ?? DEFAULTS.window);

    /** @type {ConnectionState} */
    this._state = 'closed';
    this._started = false; // connect() called and not closed since
    this._epoch = 0; // bumped whenever the current socket is abandoned: stale callbacks compare it
    this._ws = null;
    this._open = false;
    this._healthy = false; // the current connection got a subscribed/pong/event: the server accepts us
    this._attempt = 0;
    this._reconnectTimer = null;
    this._heartbeatTimer = null;
    this._watchdogTimer = null;
    this._lastFrameAt = 0;
    this._nextId = 0;
    this._cursor = null;
    this._storageLoaded = false;
    /** @type {Set<string>} rooms the stored cursor covers */
    this._storedRooms = new Set();
    /**
     * The rooms the application wants. confirmed: the gateway confirmed it once, so the cursor covers it;
     * sent: a subscribe went out; live: confirmed on the current connection.
     * @type {Map<string, {from: any, confirmed: boolean, sent: boolean, live: boolean}>}
     */
    this._rooms = new Map();
    /** @type {Set<{remaining: Set<string>, rooms: string[], resolve: Function, reject: Function}>} */
    this._requests = new Set();
    /** @type {Map<string, {rooms: string[], resume: string|undefined, from: any}>} subscribes awaiting replies */
    this._inflight = new Map();
    /**
     * The resume in progress on this connection: the resume subscribe ids still waiting for 'replayed'.
     * @type {{ids: Set<string>, replayedCount: number, duplicates: number, gaps: number, serverCount: number|null, rejected?: boolean}|null}
     */
    this._resume = null;
    /** @type {Array<{frame: Object, onDrop?: Function, onSent?: Function}>} */
    this._queue = [];
    /** @type {Map<string, {resolve: Function, reject: Function, sentAt: number|null, epoch: number|null}>} */
    this._pings = new Map();
    this._ready = null;
    this._slowConsumerCursor = undefined; // cursor at the last 4008
    /** @type {Set<string>} rooms a subscribe went out for on this connection (the gateway holds them) */
    this._serverRooms = new Set();
    /** @type {FlowWindow|null} flow control of the current connection */
    this._flow = null;

    if (options.rooms !== undefined && !(Array.isArray(options.rooms) && options.rooms.length === 0)) {
      for (const room of roomList(options.rooms)) this._rooms.set(room, { from: undefined, confirmed: false, sent: false, live: false });
    }
    try {
      this._endpoint(null);
    } catch (cause) {
      throw new TypeError(`options.url is not a usable URL here: ${this._url} (${cause && cause.message})`);
    }
  }

  /** @returns {ConnectionState} */
  get state() {
    return this._state;
  }

  /** The resume point after the last frame processed (opaque), or null. */
  get cursor() {
    return this._cursor;
  }

  /** The rooms the client keeps subscribed. */
  get rooms() {
    return [...this._rooms.keys()];
  }

  /**
   * Opens the connection (again, after close() or 'unauthorized'); while waiting out a reconnect delay it
   * dials at once. Resolves when the client is first 'live'; rejects if it ends 'unauthorized' or
   * 'closed' before.
   * @returns {Promise<void>}
   */
  connect() {
    if (this._started) {
      if (this._reconnectTimer !== null) {
        // waiting out a backoff delay: the app knows better (e.g. the browser's 'online' event), dial now
        this._clearTimer('_reconnectTimer');
        this._dial();
      }
      return this._ready.promise;
    }
    this._started = true;
    this._attempt = 0;
    this._ready = settleable();
    this._setState('connecting');
    this._dial();
    return this._ready.promise;
  }

  /** Closes the connection for good (until connect()); rejects pending subscribes and pings with 'closed'. */
  close() {
    if (!this._started && this._state === 'closed') return;
    this._started = false;
    const error = new SitewireError('closed', 'the client was closed');
    this._failRequests(error);
    this._failPings(error, () => true);
    this._abandonSocket(CLOSE_CODES.NORMAL, 'client closed');
    this._clearTimer('_reconnectTimer');
    for (const item of this._queue) if (item.onDrop) item.onDrop(error);
    this._queue = [];
    this._setState('closed');
  }

  /** Replaces the token used for the next connection attempt. */
  setToken(token) {
    this._token = token;
  }

  /**
   * Subscribes to rooms (kept across reconnects). Resolves with {rooms, cursor} once the gateway
   * confirms every room; rejects with the gateway's error (forbidden, unknown_room, ...).
   * A room already confirmed and no `from` resolves at once without a frame.
   * @param {string|string[]} rooms
   * @param {{from?: 'latest'|'earliest'|number}} [options]
   * @returns {Promise<{rooms: string[], cursor: string|null}>}
   */
  subscribe(rooms, options = {}) {
    const list = roomList(rooms);
    const from = options.from;
    if (!validFrom(from)) throw new TypeError("from must be 'latest', 'earliest' or epoch ms");
    const request = settleable();
    const toSend = [];
    for (const room of list) {
      const current = this._rooms.get(room);
      if (current && current.confirmed && from === undefined) continue;
      this._rooms.set(room, { from, confirmed: false, sent: false, live: false });
      toSend.push(room);
    }
    if (toSend.length === 0) {
      request.resolve({ rooms: list, cursor: this._cursor });
      return request.promise;
    }
    this._requests.add({ remaining: new Set(toSend), rooms: list, resolve: request.resolve, reject: request.reject });
    if (this._open) {
      // the gateway refuses a second subscribe of a room it holds ("unsubscribe first")
      const held = toSend.filter((room) => this._serverRooms.has(room));
      if (held.length > 0) this._sendUnsubscribe(held);
      this._sendSubscribe(toSend, { from });
    }
    return request.promise;
  }

  /**
   * Stops receiving rooms (and forgets their de-duplication memory). Pending subscribes of these rooms
   * reject with 'unsubscribed'.
   * @param {string|string[]} rooms
   */
  unsubscribe(rooms) {
    const list = roomList(rooms).filter((room) => this._rooms.has(room));
    if (list.length === 0) return;
    for (const room of list) {
      this._rooms.delete(room);
      this._positions.forget(room);
    }
    this._rejectRooms(list, new SitewireError('unsubscribed', `unsubscribed from ${list.join(', ')}`, { rooms: list }));
    if (this._open) {
      const held = list.filter((room) => this._serverRooms.has(room));
      if (held.length > 0) this._sendUnsubscribe(held);
    }
    this._persist();
  }

  /**
   * Sends a ping (queued while offline). Resolves with {id, serverTime, rttMs} on the pong.
   * @returns {Promise<{id: string, serverTime: number, rttMs: number}>}
   */
  ping() {
    const id = this._id();
    const pending = settleable();
    const entry = { resolve: pending.resolve, reject: pending.reject, sentAt: null, epoch: null };
    this._pings.set(id, entry);
    this._enqueueOrSend({ op: 'ping', id }, {
      onSent: () => {
        entry.sentAt = this._clock.now();
        entry.epoch = this._epoch;
      },
      onDrop: (error) => {
        this._pings.delete(id);
        pending.reject(error);
      },
    });
    return pending.promise;
  }

  /**
   * Sends any other client frame (future ops). Queued while offline, up to offlineQueueLimit; when the
   * queue is full the oldest frame is dropped and 'error' {code: 'offline_queue_full'} emitted.
   * Subscriptions are state: use subscribe()/unsubscribe() for them. Flow control (`flow`, `ack`) belongs to one
   * connection: the client does it itself (option `window`).
   * @param {{op: string}} frame
   */
  send(frame) {
    if (!frame || typeof frame.op !== 'string') throw new TypeError('a frame is an object with an op');
    if (frame.op === 'subscribe' || frame.op === 'unsubscribe') {
      throw new TypeError('use subscribe()/unsubscribe(): subscriptions are kept as state, not queued');
    }
    if (CONNECTION_OPS.has(frame.op)) {
      throw new TypeError(`'${frame.op}' frames belong to one connection: the client sends them itself (option window)`);
    }
    this._enqueueOrSend(frame, {});
  }

  // ---- connection lifecycle ------------------------------------------------------------------------

  async _dial() {
    const epoch = ++this._epoch;
    try {
      if (!this._storageLoaded) await this._loadStorage();
      if (epoch !== this._epoch) return;
      let token;
      try {
        token = this._getToken ? await this._getToken() : this._token;
      } catch (cause) {
        if (epoch !== this._epoch) return;
        this._emit('error', new SitewireError('token_error', `getToken failed: ${cause && cause.message}`, { cause }));
        this._scheduleReconnect({});
        return;
      }
      if (epoch !== this._epoch) return;
      if (token !== undefined && token !== null) this._token = token;
      const socket = this._createSocket(this._token);
      this._ws = socket;
      this._open = false;
      this._healthy = false;
      this._lastFrameAt = this._clock.now();
      this._armWatchdog(epoch); // also bounds how long the opening handshake may take
      socket.onopen = () => epoch === this._epoch && this._onOpen();
      socket.onmessage = (message) => epoch === this._epoch && this._onMessage(message.data);
      socket.onerror = () => {}; // the close that follows carries what matters
      socket.onclose = (event) => epoch === this._epoch && this._onClose(event.code, event.reason);
    } catch (cause) {
      if (epoch !== this._epoch) return;
      this._emit('error', new SitewireError('socket_error', `cannot open WebSocket: ${cause && cause.message}`, { cause }));
      this._abandonSocket();
      this._scheduleReconnect({});
    }
  }

  _createSocket(token) {
    const url = this._endpoint(token);
    if (this._auth === 'header' && token) {
      return new this._WebSocket(url, undefined, { headers: { Authorization: `Bearer ${token}` } });
    }
    return new this._WebSocket(url);
  }

  /** The WebSocket URL: relative and http(s) URLs resolved, /v1/stream defaulted, token in the query. */
  _endpoint(token) {
    const base = globalThis.location && globalThis.location.href ? globalThis.location.href : undefined;
    const url = new URL(this._url, base);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    if (url.pathname === '' || url.pathname === '/') url.pathname = '/v1/stream';
    if (this._auth === 'query' && token) url.searchParams.set('access_token', token);
    return url.toString();
  }

  _onOpen() {
    this._open = true;
    this._lastFrameAt = this._clock.now();
    this._askForWindow();
    const resuming = this._subscribeAll();
    this._flushQueue();
    this._scheduleHeartbeat(this._epoch);
    this._setState(resuming ? 'resuming' : 'live');
  }

  _onClose(code, reason) {
    const wasOpen = this._open;
    const healthy = this._healthy;
    this._abandonSocket();
    if (code === CLOSE_CODES.UNAUTHORIZED || code === CLOSE_CODES.FORBIDDEN) {
      const kind = code === CLOSE_CODES.UNAUTHORIZED ? 'unauthorized' : 'forbidden';
      const error = new SitewireError(kind, reason || kind, { closeCode: code, reason });
      this._started = false;
      this._clearTimer('_reconnectTimer');
      this._emit('error', error);
      this._failRequests(error);
      this._setState('unauthorized', { closeCode: code, reason });
      return;
    }
    if (healthy && code !== CLOSE_CODES.RATE_LIMITED) this._attempt = 0;
    // The gateway closed rather than drop frames: come straight back and resume from the cursor, as long
    // as each round makes progress (a 4008 loop that does not move the cursor falls back to backoff).
    const progressed = this._cursor !== this._slowConsumerCursor;
    if (code === CLOSE_CODES.SLOW_CONSUMER) this._slowConsumerCursor = this._cursor;
    if (code === CLOSE_CODES.SLOW_CONSUMER && wasOpen && progressed) {
      this._setState('reconnecting', { attempt: this._attempt, delayMs: 0, closeCode: code, reason });
      const epoch = this._epoch;
      Promise.resolve().then(() => epoch === this._epoch && this._started && this._dial());
      return;
    }
    this._scheduleReconnect({ closeCode: code, reason });
  }

  /** Drops a connection that still works but lost its subscriptions; backoff keeps growing meanwhile. */
  _restart(reason) {
    this._abandonSocket(CLIENT_RESTART_CODE, 'resubscribing');
    this._scheduleReconnect({ reason });
  }

  _scheduleReconnect(info) {
    if (!this._started) return;
    const delayMs = backoffDelay(this._attempt, this._backoff, this._random);
    this._attempt += 1;
    this._clearTimer('_reconnectTimer');
    this._setState('reconnecting', { attempt: this._attempt, delayMs, ...info });
    if (!this._started) return; // a state listener closed the client
    this._reconnectTimer = this._clock.setTimeout(() => {
      this._reconnectTimer = null;
      if (this._started) this._dial();
    }, delayMs);
  }

  /** Forgets the current socket (closing it if still up) and everything tied to it. */
  _abandonSocket(code = CLIENT_RESTART_CODE, reason = 'abandoned') {
    this._epoch += 1;
    const socket = this._ws;
    this._ws = null;
    this._open = false;
    this._clearTimer('_heartbeatTimer');
    this._clearTimer('_watchdogTimer');
    this._inflight.clear();
    this._serverRooms.clear();
    this._resume = null;
    this._flow = null;
    for (const wanted of this._rooms.values()) wanted.live = false;
    this._failPings(new SitewireError('connection_lost', 'the connection was lost before the pong'), (p) => p.epoch !== null);
    if (socket) {
      socket.onopen = null;
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = () => {}; // `ws` throws on an 'error' without listeners (close while connecting)
      try {
        if (socket.readyState === 0 || socket.readyState === OPEN) socket.close(code, reason);
      } catch {
        // already closing
      }
    }
  }

  // ---- heartbeat -------------------------------------------------------------------------------

  _scheduleHeartbeat(epoch) {
    if (!(this._heartbeatMs > 0)) return;
    this._heartbeatTimer = this._clock.setTimeout(() => {
      if (epoch !== this._epoch) return;
      this._transmit({ op: 'ping', id: this._id() });
      this._scheduleHeartbeat(epoch);
    }, this._heartbeatMs);
  }

  /** Fires 2x heartbeat after the last inbound frame (re-armed lazily rather than on every frame). */
  _armWatchdog(epoch, delay = 2 * this._heartbeatMs) {
    if (!(this._heartbeatMs > 0)) return;
    this._watchdogTimer = this._clock.setTimeout(() => {
      if (epoch !== this._epoch) return;
      const silentFor = this._clock.now() - this._lastFrameAt;
      const limit = 2 * this._heartbeatMs;
      if (silentFor < limit) {
        this._armWatchdog(epoch, limit - silentFor);
        return;
      }
      this._emit('error', new SitewireError('heartbeat_timeout', `no frame for ${silentFor} ms: reconnecting`));
      if (epoch !== this._epoch) return;
      const healthy = this._healthy;
      this._abandonSocket(CLIENT_RESTART_CODE, 'heartbeat timeout');
      if (healthy) this._attempt = 0;
      this._scheduleReconnect({ reason: 'heartbeat timeout' });
    }, delay);
  }

  // ---- subscriptions ---------------------------------------------------------------------------

  /**
   * Subscribes every wanted room on a fresh connection: rooms the cursor covers resume from it in one
   * frame; the others are sent with the `from` they were asked with. Returns whether a resume was sent.
   */
  _subscribeAll() {
    const resumable = [];
    const byFrom = new Map();
    for (const [room, wanted] of this._rooms) {
      const covered = wanted.confirmed
        || (wanted.from === undefined && (wanted.sent || this._storedRooms.has(room)));
      if (this._cursor && covered) {
        resumable.push(room);
      } else {
        const key = wanted.from === undefined ? '' : String(wanted.from);
        if (!byFrom.has(key)) byFrom.set(key, { from: wanted.from, rooms: [] });
        byFrom.get(key).rooms.push(room);
      }
    }
    if (resumable.length > 0) {
      this._resume = { ids: new Set(), replayedCount: 0, duplicates: 0, gaps: 0, serverCount: null };
      this._sendSubscribe(resumable, { resume: this._cursor });
    }
    for (const group of byFrom.values()) this._sendSubscribe(group.rooms, { from: group.from });
    return resumable.length > 0;
  }

  _sendSubscribe(rooms, { resume, from }) {
    if (rooms.length > MAX_ROOMS_PER_FRAME) {
      for (let i = 0; i < rooms.length; i += MAX_ROOMS_PER_FRAME) {
        this._sendSubscribe(rooms.slice(i, i + MAX_ROOMS_PER_FRAME), { resume, from });
      }
      return;
    }
    const id = this._id();
    const frame = { op: 'subscribe', id, rooms };
    if (resume) frame.resume = resume;
    else if (from !== undefined) frame.from = from;
    this._inflight.set(id, { rooms, resume, from });
    if (resume && this._resume) this._resume.ids.add(id);
    for (const room of rooms) {
      const wanted = this._rooms.get(room);
      if (wanted) wanted.sent = true;
      this._serverRooms.add(room);
    }
    this._transmit(frame);
  }

  _sendUnsubscribe(rooms) {
    for (let i = 0; i < rooms.length; i += MAX_ROOMS_PER_FRAME) {
      const chunk = rooms.slice(i, i + MAX_ROOMS_PER_FRAME);
      for (const room of chunk) this._serverRooms.delete(room);
      this._transmit({ op: 'unsubscribe', id: this._id(), rooms: chunk });
    }
  }

  _confirmRooms(rooms) {
    for (const room of rooms) {
      const wanted = this._rooms.get(room);
      if (wanted) {
        wanted.confirmed = true;
        wanted.live = true;
      }
    }
    for (const request of [...this._requests]) {
      for (const room of rooms) request.remaining.delete(room);
      if (request.remaining.size === 0) {
        this._requests.delete(request);
        request.resolve({ rooms: request.rooms, cursor: this._cursor });
      }
    }
  }

  _rejectRooms(rooms, error) {
    for (const request of [...this._requests]) {
      if (rooms.some((room) => request.remaining.has(room))) {
        this._requests.delete(request);
        request.reject(error);
      }
    }
  }

  _failRequests(error) {
    const requests = [...this._requests];
    this._requests.clear();
    for (const request of requests) request.reject(error);
    if (this._ready) this._ready.reject(error);
  }

  /**
   * The gateway refused a subscribe, or failed it during replay. A failure after 'subscribed', or one that
   * says nothing about the rooms (unavailable, rate_limited), means the gateway no longer holds them: start
   * over on a new connection (backoff, resume from the cursor) rather than lose them silently. A refusal
   * isolates the bad room(s) before giving up on any room.
   */
  _onSubscribeError(id, sent, frame) {
    this._inflight.delete(id);
    const wanted = sent.rooms.filter((room) => this._rooms.has(room));
    const failedLive = wanted.some((room) => this._rooms.get(room).live);
    if (wanted.length > 0 && (failedLive || frame.code === 'unavailable' || frame.code === 'rate_limited')) {
      this._restart(`subscribe ${id} failed: ${frame.code}`);
      return;
    }
    if (this._resume) this._resume.ids.delete(id);
    for (const room of sent.rooms) this._serverRooms.delete(room); // refused as a whole: none is held
    const open = wanted;
    if (open.length === 0) {
      // nothing wanted any more
    } else if (open.length > 1) {
      for (const room of open) this._sendSubscribe([room], sent);
    } else if (sent.resume && frame.code === 'bad_request') {
      if (this._resume) this._resume.rejected = true;
      this._emit('error', new SitewireError('resume_rejected', `the gateway refused the cursor for ${open[0]}: subscribing without it`, { frame, rooms: open }));
      this._sendSubscribe(open, { from: this._rooms.get(open[0]).from });
    } else {
      this._rooms.delete(open[0]);
      this._rejectRooms(open, new SitewireError(frame.code || 'error', frame.message || 'subscribe refused', { frame, rooms: open, id }));
      this._persist();
    }
    this._maybeFinishResume();
  }

  _maybeFinishResume() {
    const resume = this._resume;
    if (!resume || resume.ids.size > 0) return;
    this._resume = null;
    this._setState('live');
    if (resume.rejected) return; // not a resume: 'resume_rejected' was reported instead
    this._attempt = 0; // a completed resume proves the gateway serves us again
    this._emit('resumed', {
      replayedCount: resume.replayedCount,
      duplicates: resume.duplicates,
      gaps: resume.gaps,
      serverCount: resume.serverCount,
      cursor: this._cursor,
    });
  }

  // ---- flow control ----------------------------------------------------------------------------

  /** First frame of every connection, so the window is in force before any subscribe can bring a replay. */
  _askForWindow() {
    if (this._window === 0) return;
    const flow = new FlowWindow(this._window, this._id());
    this._flow = flow;
    this._transmit({ op: 'flow', id: flow.id, window: flow.window });
  }

  /** Sent straight on the socket, never queued: a count means something only on the connection it counts. */
  _ackIfDue(flow) {
    const received = flow.due();
    if (received !== null && this._transmit({ op: 'ack', received })) flow.acked = received;
  }

  // ---- inbound frames --------------------------------------------------------------------------

  /**
   * Counts the frame for flow control (every frame the gateway sent counts, even one the client cannot read),
   * handles it, then acknowledges if due: after the listeners ran, so a slow listener slows the gateway.
   */
  _onMessage(data) {
    const flow = this._flow;
    if (flow) flow.countFrame();
    const epoch = this._epoch;
    this._handleFrame(data);
    if (flow && flow === this._flow && epoch === this._epoch) this._ackIfDue(flow);
  }

  _handleFrame(data) {
    this._lastFrameAt = this._clock.now();
    let frame;
    try {
      frame = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data));
    } catch (cause) {
      this._emit('error', new SitewireError('bad_frame', 'a frame is not JSON', { cause }));
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.op !== 'string') {
      this._emit('error', new SitewireError('bad_frame', 'a frame has no op', { frame }));
      return;
    }
    const epoch = this._epoch;
    this._emit('frame', frame);
    if (epoch !== this._epoch) return;
    switch (frame.op) {
      case 'event':
        this._onEvent(frame);
        break;
      case 'subscribed': {
        this._healthy = true;
        const sent = this._inflight.get(frame.id);
        if (sent && !sent.resume && (sent.from === undefined || sent.from === 'latest')) {
          this._inflight.delete(frame.id); // no history asked for: no 'replayed' will follow
        }
        this._advance(frame.cursor);
        this._confirmRooms(Array.isArray(frame.rooms) ? frame.rooms : sent ? sent.rooms : []);
        this._persist();
        this._emit('subscribed', frame);
        break;
      }
      case 'replayed':
        this._advance(frame.cursor);
        this._inflight.delete(frame.id);
        if (this._resume && this._resume.ids.has(frame.id) && Number.isFinite(frame.count)) {
          this._resume.serverCount = (this._resume.serverCount ?? 0) + frame.count;
        }
        this._emit('replayed', frame);
        if (epoch === this._epoch && this._resume && this._resume.ids.delete(frame.id)) this._maybeFinishResume();
        break;
      case 'gap':
        if (this._resume) this._resume.gaps += 1;
        this._emit('gap', frame);
        break;
      case 'presence':
        this._emit('presence', frame);
        break;
      case 'snapshot':
        this._emit('snapshot', frame);
        break;
      case 'unsubscribed':
        this._emit('unsubscribed', frame);
        break;
      case 'pong': {
        this._healthy = true;
        const ping = this._pings.get(frame.id);
        if (ping) {
          this._pings.delete(frame.id);
          ping.resolve({ id: frame.id, serverTime: frame.serverTime, rttMs: this._clock.now() - (ping.sentAt ?? this._clock.now()) });
        }
        this._emit('pong', frame);
        break;
      }
      case 'flow':
        if (this._flow) this._flow.granted(frame);
        break;
      case 'error': {
        if (this._flow && this._flow.isRefusal(frame)) {
          // a gateway without flow control: not a failure, this connection just goes without a window
          this._flow.refused();
          break;
        }
        const sent = frame.id != null ? this._inflight.get(frame.id) : undefined;
        this._emit('error', new SitewireError(frame.code || 'error', frame.message || 'gateway error', { frame, id: frame.id }));
        if (sent && epoch === this._epoch) this._onSubscribeError(frame.id, sent, frame);
        const ping = frame.id != null ? this._pings.get(frame.id) : undefined;
        if (ping) {
          this._pings.delete(frame.id);
          ping.reject(new SitewireError(frame.code || 'error', frame.message || 'ping refused', { frame }));
        }
        break;
      }
      default:
        break; // a newer gateway's op: ignored
    }
  }

  _onEvent(frame) {
    this._healthy = true;
    const room = frame.room;
    if (!this._rooms.has(room)) {
      this._advance(frame.cursor); // in flight before an unsubscribe: not wanted any more
      return;
    }
    if (frame.pos != null && !this._positions.remember(room, String(frame.pos))) {
      if (this._resume) this._resume.duplicates += 1;
      this._advance(frame.cursor);
      return;
    }
    if (this._resume) this._resume.replayedCount += 1;
    this._emit('event', frame);
    if (typeof frame.type === 'string' && !RESERVED_EVENTS.has(frame.type)) this._emit(frame.type, frame);
    // advanced after the listeners ran, so a persisted cursor never passes an event not yet handled
    this._advance(frame.cursor);
  }

  _advance(cursor) {
    if (typeof cursor !== 'string' || cursor.length === 0 || cursor === this._cursor) return;
    this._cursor = cursor;
    this._persist();
  }

  // ---- outbound frames -------------------------------------------------------------------------

  _id() {
    this._nextId += 1;
    return `c${this._nextId}`;
  }

  _transmit(frame) {
    if (!this._open || !this._ws || this._ws.readyState !== OPEN) return false;
    try {
      this._ws.send(JSON.stringify(frame));
      return true;
    } catch (cause) {
      this._emit('error', new SitewireError('socket_error', `send failed: ${cause && cause.message}`, { cause, frame }));
      return false;
    }
  }

  _enqueueOrSend(frame, hooks) {
    if (this._open && this._queue.length === 0 && this._transmit(frame)) {
      if (hooks.onSent) hooks.onSent();
      return;
    }
    this._queue.push({ frame, ...hooks });
    while (this._queue.length > Math.max(0, this._queueLimit)) {
      const dropped = this._queue.shift();
      const error = new SitewireError('offline_queue_full',
        `offline queue full (${this._queueLimit}): dropped the oldest frame (${dropped.frame.op})`,
        { dropped: dropped.frame });
      if (dropped.onDrop) dropped.onDrop(error);
      this._emit('error', error);
    }
  }

  _flushQueue() {
    while (this._queue.length > 0 && this._open) {
      const item = this._queue[0];
      if (!this._transmit(item.frame)) return;
      this._queue.shift();
      if (item.onSent) item.onSent();
    }
  }

  _failPings(error, which) {
    for (const [id, ping] of [...this._pings]) {
      if (which(ping)) {
        this._pings.delete(id);
        ping.reject(error);
      }
    }
  }

  // ---- state and storage -----------------------------------------------------------------------

  _clearTimer(field) {
    if (this[field] !== null) {
      this._clock.clearTimeout(this[field]);
      this[field] = null;
    }
  }

  _setState(state, info = {}) {
    if (this._state === state && state !== 'reconnecting') return;
    this._state = state;
    if (this._ready) {
      if (state === 'live') this._ready.resolve();
      if (state === 'closed') this._ready.reject(new SitewireError('closed', 'the client was closed'));
    }
    this._emit('state', state, info);
  }

  async _loadStorage() {
    this._storageLoaded = true;
    if (!this._storage) return;
    try {
      const raw = await this._storage.get(this._storageKey);
      if (!raw) return;
      const saved = JSON.parse(raw);
      if (saved && typeof saved.cursor === 'string' && this._cursor === null) {
        this._cursor = saved.cursor;
        this._storedRooms = new Set(Array.isArray(saved.rooms) ? saved.rooms : []);
      }
    } catch (cause) {
      this._emit('error', new SitewireError('storage_error', `cannot read the stored cursor: ${cause && cause.message}`, { cause }));
    }
  }

  _persist() {
    if (!this._storage || this._cursor === null) return;
    const rooms = [...this._rooms].filter(([, wanted]) => wanted.confirmed).map(([room]) => room);
    const value = JSON.stringify({ v: 1, cursor: this._cursor, rooms, savedAt: this._clock.now() });
    const fail = (cause) => this._emit('error', new SitewireError('storage_error', `cannot store the cursor: ${cause && cause.message}`, { cause }));
    try {
      const result = this._storage.set(this._storageKey, value);
      if (result && typeof result.then === 'function') result.then(undefined, fail);
    } catch (cause) {
      fail(cause);
    }
  }
}

export default SitewireClient;
