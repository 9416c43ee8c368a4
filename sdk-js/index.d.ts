// Types of the Sitewire client SDK (src/sitewire.js) and of protocol v1 frames.

export declare const VERSION: string;

export declare const CLOSE_CODES: Readonly<{
  NORMAL: 1000;
  GOING_AWAY: 1001;
  UNAUTHORIZED: 4001;
  FORBIDDEN: 4003;
  SLOW_CONSUMER: 4008;
  RATE_LIMITED: 4029;
}>;

/** EventType json names (io.sitewire.schemas.EventType). */
export type EventType =
  | 'worker_position' | 'worker_presence' | 'equipment_status' | 'sensor_reading' | 'wearable_alarm'
  | 'manual_broadcast' | 'alert' | 'worker_state' | 'zone_headcount' | 'roll_call' | 'dead_letter';

export type Priority = 'EMERGENCY' | 'URGENT' | 'HIGH' | 'NORMAL' | 'LOW';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'resuming' | 'closed' | 'unauthorized';

/** Where a subscription starts when there is nothing to resume: 'latest' (default), 'earliest' or epoch ms. */
export type From = 'latest' | 'earliest' | number;

// ---- server -> client frames ------------------------------------------------------------------

/** An event; `data` is the record's JSON form (AvroJson). */
export interface EventFrame<T extends string = EventType | (string & {}), D = Record<string, unknown>> {
  op: 'event';
  room: string;
  type: T;
  priority?: Priority;
  eventTime?: number;
  /** Opaque unique record position: the SDK de-duplicates on (room, pos). */
  pos: string;
  /** Opaque resume point after this event. */
  cursor: string;
  data: D;
}

export type AlertType =
  | 'PROXIMITY' | 'GAS_CEILING' | 'GAS_SHORT_TERM' | 'GAS_TWA' | 'DUST_TWA' | 'NOISE_DOSE' | 'FALL' | 'SOS' | 'MAN_DOWN'
  | 'MISSING_WORKER' | 'EVACUATION' | 'ROLL_CALL' | 'BROADCAST' | 'OTHER';

/** The Alert record's JSON form (schemas/src/main/avro/Alert.avsc; optional fields are plain values or null). */
export interface AlertData {
  alertId: string;
  type: AlertType;
  priority: Priority;
  state: 'RAISED' | 'CLEARED';
  projectId: string;
  zone?: string | null;
  workerId?: string | null;
  equipmentId?: string | null;
  metric?: string | null;
  value?: number | null;
  limit?: number | null;
  rule: string;
  limitSource?: string | null;
  message: string;
  lat?: number | null;
  lng?: number | null;
  sourceTime: number;
  raisedAt: number;
  [field: string]: unknown;
}

export type AlertFrame = EventFrame<'alert', AlertData>;

export interface SubscribedFrame { op: 'subscribed'; id: string; rooms: string[]; cursor: string }
export interface UnsubscribedFrame { op: 'unsubscribed'; id: string; rooms: string[] }
/** History replay of a subscribe is done; `count` is how many events the gateway replayed. */
export interface ReplayedFrame { op: 'replayed'; id: string; rooms: string[]; cursor: string; count?: number }
export interface GapFrame {
  op: 'gap';
  id?: string;
  room: string;
  topic?: string;
  partition?: number;
  /** Records lost, or -1 if unknown. */
  lost: number;
  from?: unknown;
  to?: unknown;
  message?: string;
}
export interface PresenceClient { clientId: string; subject: string; role: string }
export interface PresenceFrame {
  op: 'presence';
  room: string;
  kind: 'snapshot' | 'join' | 'leave';
  clients: PresenceClient[];
}
/** Current state of a project or management room, sent after 'subscribed' (JSON forms of the state records). */
export interface SnapshotFrame {
  op: 'snapshot';
  room: string;
  asOf: number;
  workers: Record<string, unknown>[];
  headcount: Record<string, unknown>[];
  equipment: Record<string, unknown>[];
  rollCall: Record<string, unknown> | null;
  [field: string]: unknown;
}
export interface PongFrame { op: 'pong'; id: string; serverTime: number }
/** The gateway's answer to a `flow` request: from now on at most `window` frames are sent but not acknowledged. */
export interface FlowGrantedFrame { op: 'flow'; id?: string; window: number }
export type ServerErrorCode =
  | 'unauthorized' | 'forbidden' | 'bad_request' | 'too_large' | 'rate_limited' | 'unknown_room' | 'unavailable';
export interface ErrorFrame { op: 'error'; id: string | null; code: ServerErrorCode | (string & {}); message: string }

export type ServerFrame =
  | EventFrame | SubscribedFrame | UnsubscribedFrame | ReplayedFrame | GapFrame | PresenceFrame | SnapshotFrame
  | PongFrame | FlowGrantedFrame | ErrorFrame;

// ---- client -> server frames ------------------------------------------------------------------

export interface SubscribeFrame { op: 'subscribe'; id: string; rooms: string[]; resume?: string; from?: From }
export interface UnsubscribeFrame { op: 'unsubscribe'; id: string; rooms: string[] }
export interface PingFrame { op: 'ping'; id: string }
/** Asks for a flow-control window (8..4096); the client sends it first on every connection. */
export interface FlowFrame { op: 'flow'; id?: string; window: number }
/** `received`: text frames received on this connection since it opened (all ops); never decreases. */
export interface AckFrame { op: 'ack'; received: number }
export type ClientFrame = SubscribeFrame | UnsubscribeFrame | PingFrame | FlowFrame | AckFrame;

// ---- client API -----------------------------------------------------------------------------

export type ClientErrorCode =
  | 'offline_queue_full' | 'heartbeat_timeout' | 'token_error' | 'connection_lost' | 'closed' | 'unsubscribed'
  | 'bad_frame' | 'resume_rejected' | 'storage_error' | 'socket_error' | 'listener_error';

export declare class SitewireError extends Error {
  constructor(code: string, message: string, details?: object);
  readonly name: 'SitewireError';
  code: ServerErrorCode | ClientErrorCode | (string & {});
  /** Close code, for unauthorized/forbidden closes. */
  closeCode?: number;
  reason?: string;
  /** The gateway's error frame, when the error came from one. */
  frame?: ErrorFrame | unknown;
  /** The frame dropped from a full offline queue. */
  dropped?: { op: string; [key: string]: unknown };
  rooms?: string[];
  id?: string | null;
  cause?: unknown;
}

export interface BackoffOptions {
  /** First delay, ms (500). */
  initialMs?: number;
  /** Cap, ms (30000). */
  maxMs?: number;
  /** Growth per attempt (2). */
  factor?: number;
  /** 0..1: a delay d is drawn from [d * (1 - jitter), d] (0.5). */
  jitter?: number;
}

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CursorStorage {
  get(key: string): string | null | undefined | Promise<string | null | undefined>;
  set(key: string, value: string): void | Promise<void>;
}

/** Anything constructible like the browser WebSocket (the `ws` package qualifies). */
export interface WebSocketConstructor {
  new (url: string, protocols?: string | string[], options?: { headers?: Record<string, string> }): WebSocketLike;
}

export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
}

export interface SitewireClientOptions {
  /** ws(s)://host/v1/stream; http(s) URLs and page-relative paths ('/v1/stream') are converted; no path means /v1/stream. */
  url: string;
  token?: string;
  /** Called before every connection attempt (token refresh). */
  getToken?: () => string | Promise<string>;
  /** Defaults to globalThis.WebSocket (browsers, Node >= 22); pass the `ws` package on Node 18-21. */
  WebSocket?: WebSocketConstructor | (new (...args: any[]) => any);
  rooms?: string[];
  backoff?: BackoffOptions;
  /** Ping period; no inbound frame for 2x this means a dead link (15000; 0 turns the heartbeat off). */
  heartbeatMs?: number;
  /** Outgoing frames kept while offline (100). */
  offlineQueueLimit?: number;
  /** Positions remembered per room for de-duplication (10000). */
  dedupeWindow?: number;
  /**
   * Flow-control window asked for on every connection, an integer 8..4096 (256): the gateway keeps at most this
   * many frames unacknowledged (EMERGENCY/URGENT events are sent regardless). 0 or false: no flow control.
   */
  window?: number | false;
  /** 'query' (default): ?access_token=; 'header': Authorization: Bearer (Node `ws` only). */
  auth?: 'query' | 'header';
  /** Persists {cursor, rooms} so a reloaded page resumes where it was. */
  storage?: CursorStorage;
  /** Storage key ('sitewire.cursor'). */
  storageKey?: string;
  /** Timer seam for tests. */
  clock?: Partial<Clock>;
  /** Jitter source for tests: returns [0, 1). */
  random?: () => number;
}

export interface StateInfo {
  /** Reconnect attempt number (reconnecting). */
  attempt?: number;
  /** Delay before the next attempt (reconnecting). */
  delayMs?: number;
  closeCode?: number;
  reason?: string;
}

export interface ResumedInfo {
  /** New (not duplicate) events delivered between the resume subscribe and 'replayed'. */
  replayedCount: number;
  /** Replayed events dropped because they were already delivered. */
  duplicates: number;
  gaps: number;
  /** Sum of the gateway's 'replayed' counts (duplicates included), or null if it sent none. */
  serverCount: number | null;
  cursor: string | null;
}

export interface SubscribeResult { rooms: string[]; cursor: string | null }
export interface PingResult { id: string; serverTime: number; rttMs: number }

export interface SitewireEvents {
  event: (frame: EventFrame) => void;
  frame: (frame: ServerFrame) => void;
  state: (state: ConnectionState, info: StateInfo) => void;
  subscribed: (frame: SubscribedFrame) => void;
  unsubscribed: (frame: UnsubscribedFrame) => void;
  replayed: (frame: ReplayedFrame) => void;
  gap: (frame: GapFrame) => void;
  presence: (frame: PresenceFrame) => void;
  snapshot: (frame: SnapshotFrame) => void;
  pong: (frame: PongFrame) => void;
  error: (error: SitewireError) => void;
  resumed: (info: ResumedInfo) => void;
  alert: (frame: AlertFrame) => void;
}

type Listener<K extends string> = K extends keyof SitewireEvents ? SitewireEvents[K] : (frame: EventFrame<K>) => void;

export declare class SitewireClient {
  constructor(options: SitewireClientOptions);
  readonly state: ConnectionState;
  /** Resume point after the last frame processed, or null. */
  readonly cursor: string | null;
  /** Rooms the client keeps subscribed across reconnects. */
  readonly rooms: string[];

  /** Resolves when first 'live'; rejects if 'unauthorized' or 'closed' first. Never an unhandled rejection. */
  connect(): Promise<void>;
  close(): void;
  setToken(token: string): void;
  subscribe(rooms: string | string[], options?: { from?: From }): Promise<SubscribeResult>;
  unsubscribe(rooms: string | string[]): void;
  ping(): Promise<PingResult>;
  /**
   * Any other client frame; queued while offline. Subscriptions go through subscribe()/unsubscribe(); `flow` and
   * `ack` are refused (TypeError): the client does flow control itself.
   */
  send(frame: { op: string; [key: string]: unknown }): void;

  /** Adds a listener; `name` is a client event or an event type ('alert', 'worker_position', ...). Returns a remover. */
  on<K extends keyof SitewireEvents | EventType | (string & {})>(name: K, listener: Listener<K>): () => void;
  once<K extends keyof SitewireEvents | EventType | (string & {})>(name: K, listener: Listener<K>): () => void;
  off(name: string, listener: (...args: any[]) => void): void;
}

export declare const DEFAULTS: Readonly<{
  backoff: Readonly<Required<BackoffOptions>>;
  heartbeatMs: number;
  offlineQueueLimit: number;
  dedupeWindow: number;
  auth: 'query' | 'header';
  storageKey: string;
  window: number;
}>;

export declare function backoffDelay(attempt: number, backoff: BackoffOptions, random?: () => number): number;

export declare const Rooms: Readonly<{
  project(projectId: string): string;
  management(projectId: string): string;
  trade(trade: string, projectId: string): string;
  equipment(equipmentId: string, projectId: string): string;
  safetyZone(zone: string, projectId: string): string;
  worker(workerId: string, projectId: string): string;
}>;

export declare function isRoom(name: string): boolean;

export default SitewireClient;
