import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rooms, isRoom, SitewireClient } from '../src/sitewire.js';
import {
  FakeGateway, FakeClock, clientFor, eventFrame, nextEmit, record,
} from './support/harness.mjs';

const ROOM = 'project:p-events';

/** A live client with ROOM confirmed, plus its gateway connection. */
async function liveClient(t, options = {}) {
  const gateway = await FakeGateway.start();
  const client = clientFor(gateway, new FakeClock(), { rooms: [ROOM], ...options });
  t.after(async () => { client.close(); await gateway.stop(); });
  const ready = client.connect();
  const connection = await gateway.nextConnection();
  connection.accept(await connection.next('subscribe'));
  await ready;
  await nextEmit(client, 'replayed');
  return { gateway, client, connection };
}

/** Sends frames then a pong, and resolves once the client has handled all of them. */
async function deliver(client, connection, ...frames) {
  const done = nextEmit(client, 'pong', (pong) => pong.id === 'fence');
  connection.send(...frames, { op: 'pong', id: 'fence', serverTime: 0 });
  await done;
}

test('events are dispatched to on(event) and to on(frame.type); reserved names are not hijacked', async (t) => {
  const { client, connection } = await liveClient(t);
  const all = record(client, 'event');
  const alerts = record(client, 'alert');
  const positions = record(client, 'worker_position');
  const errors = record(client, 'error');
  const states = record(client, 'state');

  await deliver(client, connection,
    eventFrame(ROOM, 1, { type: 'alert' }),
    eventFrame(ROOM, 2, { type: 'worker_position', priority: 'LOW', data: { workerId: 'w1', lat: 51.5, lng: -0.1 } }),
    eventFrame(ROOM, 3, { type: 'alert' }),
    eventFrame(ROOM, 4, { type: 'state' }),
    eventFrame(ROOM, 5, { type: 'error' }));

  assert.deepEqual(all.map((e) => e.type), ['alert', 'worker_position', 'alert', 'state', 'error']);
  assert.deepEqual(alerts.map((e) => e.data.alertId), ['a-1', 'a-3']);
  assert.deepEqual(positions.map((e) => e.data.workerId), ['w1']);
  assert.deepEqual(errors, [], "an event typed 'error' is not an SDK error");
  assert.deepEqual(states, [], "an event typed 'state' is not a state change");
  assert.equal(client.cursor, 'cur-5');
});

test('de-duplication is per (room, pos) with a bounded memory per room', async (t) => {
  const { client, connection } = await liveClient(t, { rooms: [ROOM, 'worker:w1:project:p-events'], dedupeWindow: 3 });
  const seen = record(client, 'event');

  // the same record in two rooms is two deliveries; the same (room, pos) twice is one
  await deliver(client, connection,
    eventFrame(ROOM, 1), eventFrame('worker:w1:project:p-events', 1), eventFrame(ROOM, 1),
    eventFrame(ROOM, 2), eventFrame(ROOM, 3), eventFrame(ROOM, 2));
  assert.deepEqual(seen.map((e) => `${e.room}@${e.eventTime % 1000}`), [
    `${ROOM}@1`, 'worker:w1:project:p-events@1', `${ROOM}@2`, `${ROOM}@3`,
  ]);

  // with a window of 3, position 1 is forgotten once 4 newer positions were seen (2 was refreshed)
  seen.length = 0;
  await deliver(client, connection, eventFrame(ROOM, 4), eventFrame(ROOM, 5), eventFrame(ROOM, 1), eventFrame(ROOM, 5));
  assert.deepEqual(seen.map((e) => e.eventTime % 1000), [4, 5, 1]);
});

test('subscribe() while live sends at once and resolves on subscribed; a confirmed room resolves without a frame', async (t) => {
  const { client, connection } = await liveClient(t);

  const pending = client.subscribe(['equipment:crane-2:project:p-events', 'safety-zone:z9:project:p-events'], { from: 'earliest' });
  const frame = await connection.next('subscribe');
  assert.deepEqual(frame.rooms, ['equipment:crane-2:project:p-events', 'safety-zone:z9:project:p-events']);
  assert.equal(frame.from, 'earliest');
  connection.send({ op: 'subscribed', id: frame.id, rooms: frame.rooms, cursor: 'cur-77' });
  assert.deepEqual(await pending, { rooms: frame.rooms, cursor: 'cur-77' });

  assert.deepEqual(await client.subscribe(ROOM), { rooms: [ROOM], cursor: 'cur-77' });
  assert.equal(connection.framesOf('subscribe').length, 2, 'no frame for an already confirmed room');
  assert.deepEqual(client.rooms, [ROOM, ...frame.rooms]);
});

test('re-subscribing a held room with from unsubscribes it first (the gateway refuses a duplicate subscribe)', async (t) => {
  const { client, connection } = await liveClient(t);
  const seen = record(client, 'event');
  await deliver(client, connection, eventFrame(ROOM, 1));

  // When the app asks for the room's history while it is live
  const history = client.subscribe(ROOM, { from: 'earliest' });

  // Then the gateway gets unsubscribe then subscribe-from-earliest, in that order
  const unsubscribe = await connection.next('unsubscribe');
  const subscribe = await connection.next('subscribe');
  assert.deepEqual(unsubscribe.rooms, [ROOM]);
  assert.deepEqual([subscribe.rooms, subscribe.from], [[ROOM], 'earliest']);
  assert.ok(connection.frames.indexOf(unsubscribe) < connection.frames.indexOf(subscribe));

  // and the replayed history skips what this client already delivered
  connection.send({ op: 'unsubscribed', id: unsubscribe.id, rooms: [ROOM] });
  connection.accept(subscribe, { events: [eventFrame(ROOM, 0), eventFrame(ROOM, 1), eventFrame(ROOM, 2)] });
  await history;
  await deliver(client, connection);
  assert.deepEqual(seen.map((e) => e.cursor), ['cur-1', 'cur-0', 'cur-2']);
  assert.deepEqual(client.rooms, [ROOM]);
});

test('more than 100 rooms go out in frames of at most 100 (the gateway limit)', async (t) => {
  const { client, connection } = await liveClient(t);
  const rooms = Array.from({ length: 230 }, (_, i) => `worker:w${i}:project:p-events`);

  const all = client.subscribe(rooms);
  const frames = [await connection.next('subscribe'), await connection.next('subscribe'), await connection.next('subscribe')];

  assert.deepEqual(frames.map((frame) => frame.rooms.length), [100, 100, 30]);
  assert.deepEqual(frames.flatMap((frame) => frame.rooms), rooms);
  for (const frame of frames) connection.send({ op: 'subscribed', id: frame.id, rooms: frame.rooms, cursor: 'cur-5' });
  assert.equal((await all).rooms.length, 230);
});

test('a refused multi-room subscribe is split so only the refused room is dropped', async (t) => {
  const { client, connection } = await liveClient(t);
  const errors = record(client, 'error');
  const allowed = 'trade:electrical:project:p-events';
  const refused = 'management:project:p-events';

  // When a subscribe of two rooms is refused as a whole
  const both = client.subscribe([allowed, refused]);
  const first = await connection.next('subscribe');
  connection.send({ op: 'error', id: first.id, code: 'forbidden', message: 'management needs the manager role' });

  // Then the client retries each room alone
  const retryA = await connection.next('subscribe');
  const retryB = await connection.next('subscribe');
  assert.deepEqual([retryA.rooms, retryB.rooms], [[allowed], [refused]]);
  connection.send({ op: 'subscribed', id: retryA.id, rooms: [allowed], cursor: 'cur-9' });
  connection.send({ op: 'error', id: retryB.id, code: 'forbidden', message: 'management needs the manager role' });

  // and the call rejects with the gateway's reason, the refused room is no longer wanted, the other is kept
  await assert.rejects(both, (e) => e.code === 'forbidden' && e.rooms[0] === refused);
  assert.deepEqual(client.rooms, [ROOM, allowed]);
  assert.deepEqual(errors.map((e) => e.code), ['forbidden', 'forbidden']);
});

test('unsubscribe() sends the frame, drops events still in flight for the room, and forgets it', async (t) => {
  const { client, connection } = await liveClient(t);
  const seen = record(client, 'event');

  client.unsubscribe(ROOM);
  const frame = await connection.next('unsubscribe');
  assert.deepEqual(frame.rooms, [ROOM]);
  await deliver(client, connection, eventFrame(ROOM, 1));

  assert.deepEqual(seen, []);
  assert.deepEqual(client.rooms, []);
  assert.equal(client.cursor, 'cur-1', 'the cursor still moves past what the gateway sent');
});

test('snapshot and unsubscribed frames are surfaced as events of their own', async (t) => {
  const { client, connection } = await liveClient(t);
  const snapshots = record(client, 'snapshot');
  const unsubscribed = record(client, 'unsubscribed');

  const snapshot = { op: 'snapshot', room: ROOM, asOf: 1_700_000_000_000, workers: [{ workerId: 'w1' }], headcount: [], equipment: [], rollCall: null };
  await deliver(client, connection, snapshot, { op: 'unsubscribed', id: 'c9', rooms: ['project:gone'] });

  assert.deepEqual(snapshots, [snapshot]);
  assert.deepEqual(unsubscribed.map((frame) => frame.rooms), [['project:gone']]);
});

test('presence and gateway errors are surfaced; a throwing listener does not break delivery', async (t) => {
  const { client, connection } = await liveClient(t);
  const presence = record(client, 'presence');
  const errors = record(client, 'error');
  const seen = record(client, 'event');
  client.on('alert', () => { throw new Error('app bug'); });

  await deliver(client, connection,
    { op: 'presence', room: ROOM, kind: 'join', clients: [{ clientId: 'c-9', subject: 'u9', role: 'supervisor' }] },
    { op: 'error', id: null, code: 'rate_limited', message: 'slow down' },
    eventFrame(ROOM, 1),
    'a frame that is not an object',
    eventFrame(ROOM, 2));

  assert.deepEqual(presence.map((p) => [p.kind, p.clients[0].clientId]), [['join', 'c-9']]);
  assert.deepEqual(errors.map((e) => e.code), ['rate_limited', 'listener_error', 'bad_frame', 'listener_error']);
  assert.deepEqual(seen.map((e) => e.cursor), ['cur-1', 'cur-2']);
});

test('room helpers and validation', () => {
  assert.equal(Rooms.project('p1'), 'project:p1');
  assert.equal(Rooms.worker('w7', 'p1'), 'worker:w7:project:p1');
  assert.equal(Rooms.safetyZone('z1', 'p1'), 'safety-zone:z1:project:p1');
  assert.equal(Rooms.management('p1'), 'management:project:p1');
  for (const room of Object.values(Rooms).map((build) => build('x-1', 'p.2'))) assert.ok(isRoom(room), room);
  assert.ok(!isRoom('project:'));
  assert.ok(!isRoom('crane:c1:project:p1'));
  const client = new SitewireClient({ url: 'ws://127.0.0.1:9', WebSocket: class {} });
  assert.throws(() => client.subscribe([]), TypeError);
  assert.throws(() => client.subscribe('project:p1', { from: 'yesterday' }), TypeError);
  assert.throws(() => new SitewireClient({ url: 'ws://x' }), /WebSocket/, 'Node 20 has no global WebSocket');
  assert.throws(() => new SitewireClient({ url: '/v1/stream', WebSocket: class {} }), /usable URL/);
});
