// Compiled by `tsc` in types.test.mjs: the declarations must accept real usage and reject misuse.
import SitewireDefault, {
  SitewireClient, DEFAULTS, SitewireError, Rooms, backoffDelay, CLOSE_CODES,
  type AlertFrame, type ConnectionState, type EventFrame, type ResumedInfo, type StateInfo,
} from '../../index.js';

declare const WebSocketImpl: new (url: string) => any;

const client: SitewireClient = new SitewireDefault({
  url: 'wss://gateway.example/v1/stream',
  getToken: async () => 'jwt',
  WebSocket: WebSocketImpl,
  rooms: [Rooms.project('p1'), Rooms.worker('w7', 'p1')],
  backoff: { initialMs: 500, maxMs: 30000, factor: 2, jitter: 0.5 },
  heartbeatMs: 15000,
  offlineQueueLimit: 100,
  window: 128,
  storage: { get: (key) => null, set: (key, value) => {} },
});

client.on('alert', (frame: AlertFrame) => {
  const priority: string = frame.data.priority;
  const raised: boolean = frame.data.state === 'RAISED';
  const lat: number | null | undefined = frame.data.lat;
  void priority; void raised; void lat;
});
client.on('worker_position', (frame) => {
  const room: string = frame.room;
  const type: 'worker_position' = frame.type;
  void room; void type;
});
client.on('event', (frame: EventFrame) => void frame.pos);
client.on('state', (state: ConnectionState, info: StateInfo) => void [state, info.delayMs]);
client.on('resumed', (info: ResumedInfo) => void [info.replayedCount, info.serverCount]);
client.on('snapshot', (snapshot) => void [snapshot.asOf, snapshot.headcount.length]);
client.on('error', (error: SitewireError) => void (error.code === 'offline_queue_full' && error.dropped?.op));
const off: () => void = client.on('gap', (gap) => void gap.lost);
off();

async function flow(): Promise<void> {
  await client.connect();
  const { rooms, cursor } = await client.subscribe(['trade:electrical:project:p1'], { from: 'earliest' });
  const later = await client.subscribe('project:p2', { from: 1_700_000_000_000 });
  const pong = await client.ping();
  void [rooms, cursor, later, pong.rttMs];
  client.unsubscribe('project:p2');
  client.send({ op: 'mark', upTo: 'cursor' });
  client.close();
}
void flow;
const delay: number = backoffDelay(3, { initialMs: 100 });
const code: 4008 = CLOSE_CODES.SLOW_CONSUMER;
void [delay, code];

// @ts-expect-error url is required
new SitewireClient({ token: 'x' });
// @ts-expect-error from must be latest, earliest or epoch ms
void client.subscribe('project:p1', { from: 'yesterday' });
// @ts-expect-error states are a closed set
const bad: ConnectionState = 'open';
void bad;
// @ts-expect-error auth is query or header
new SitewireClient({ url: 'ws://x', auth: 'cookie' });
// @ts-expect-error window is a number or false
new SitewireClient({ url: 'ws://x', window: '64' });
new SitewireClient({ url: 'ws://x', window: false });
const windowDefault: number = DEFAULTS.window;
void windowDefault;
