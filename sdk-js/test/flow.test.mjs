import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULTS } from '../src/sitewire.js';
import {
  FakeGateway, FakeClock, WebSocket, clientFor, eventFrame, nextEmit, record, stateReached,
} from './support/harness.mjs';

const ROOM = 'project:p-flow';

/** A client on a fake gateway, connected; returns the first connection with its flow frame read. */
async function connected(t, options = {}) {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM], ...options });
  t.after(async () => { client.close(); await gateway.stop(); });
  client.connect();
  const connection = await gateway.nextConnection();
  return { gateway, clock, client, connection };
}

/** Sends frames then a pong, and resolves once the client has handled all of them (the pong counts too). */
async function deliver(client, connection, ...frames) {
  const fence = `fence-${connection.frames.length}-${frames.length}`;
  const done = nextEmit(client, 'pong', (pong) => pong.id === fence);
  connection.send(...frames, { op: 'pong', id: fence, serverTime: 0 });
  await done;
}

/**
 * The acks the gateway has received so far, in order. A ping from the client is the barrier: it travels
 * behind every ack the client sent before it on the same socket.
 */
async function acksSoFar(client, connection) {
  client.ping().catch(() => {});
  await connection.next('ping');
  return connection.framesOf('ack').map((ack) => ack.received);
}

/** n frames of every kind the gateway sends (each counts toward `received`), events numbered from `first`. */
function mixedFrames(first, n) {
  const kinds = [
    (i) => eventFrame(ROOM, i, { priority: 'LOW', type: 'worker_position' }),
    () => ({ op: 'presence', room: ROOM, kind: 'join', clients: [{ clientId: 'x', subject: 's', role: 'worker' }] }),
    (i) => eventFrame(ROOM, i),
    () => ({ op: 'error', id: null, code: 'rate_limited', message: 'slow down' }),
    () => ({ op: 'snapshot', room: ROOM, asOf: 1_700_000_000_000, workers: [], headcount: [], equipment: [], rollCall: null }),
    () => ({ op: 'gap', room: ROOM, lost: 2, message: 'retention' }),
  ];
  return Array.from({ length: n }, (_, k) => kinds[k % kinds.length](first + k));
}

test('the flow request is the first frame of a connection, with the default window, before the subscribe and queued frames', async (t) => {
  // Given an offline client with a room and a queued ping
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM] });
  t.after(async () => { client.close(); await gateway.stop(); });
  client.ping().catch(() => {});

  // When it connects
  client.connect();
  const connection = await gateway.nextConnection();
  await connection.next('ping');

  // Then flow came first, asking for the default window of 256 under an id of its own
  assert.deepEqual(connection.frames.map((frame) => frame.op), ['flow', 'subscribe', 'ping']);
  const [flow, subscribe, ping] = connection.frames;
  assert.equal(DEFAULTS.window, 256);
  assert.equal(flow.window, 256);
  assert.equal(typeof flow.id, 'string');
  assert.notEqual(flow.id, subscribe.id);
  assert.notEqual(flow.id, ping.id);
});

test('acks go out every window/2 frames with the cumulative count of every frame of every op, after the listeners ran', async (t) => {
  // Given a client that logs what it sends, and an 'event' listener that logs its calls, with a window of 8
  const sent = [];
  class LoggingWebSocket extends WebSocket {
    send(data, ...rest) {
      sent.push(JSON.parse(data));
      return super.send(data, ...rest);
    }
  }
  const { client, connection } = await connected(t, { window: 8, WebSocket: LoggingWebSocket });
  client.on('event', (frame) => sent.push({ listener: frame.pos }));
  const errors = record(client, 'error');
  const flow = await connection.next('flow');
  const subscribe = await connection.next('subscribe');

  // When the gateway grants the window (frame 1), confirms the subscribe (2) and sends 2 events (3, 4)
  connection.send({ op: 'flow', id: flow.id, window: 8 });
  const fourth = nextEmit(client, 'event', (frame) => frame.pos.endsWith('@2'));
  connection.accept(subscribe, { events: [eventFrame(ROOM, 1), eventFrame(ROOM, 2)], replayed: false });
  await fourth;

  // Then the 4th frame, an event, was acked with received 4 after its listener ran
  assert.deepEqual(await acksSoFar(client, connection), [4]);
  const ackAt = sent.findIndex((frame) => frame.op === 'ack');
  assert.deepEqual(sent[ackAt - 1], { listener: 'sitewire.alerts.emergency-0@2' });

  // When 15 more frames of every kind arrive, then the pong fence (frame 20); the fake gateway answers no ping
  await deliver(client, connection, ...mixedFrames(3, 15));
  const acks = await acksSoFar(client, connection);

  // Then one ack per 4 frames, each the count so far: error, presence, snapshot, gap and pong frames count too
  assert.deepEqual(acks, [4, 8, 12, 16, 20]);
  assert.ok(errors.some((e) => e.code === 'rate_limited'), 'the gateway error frame was still reported');
  connection.send({ op: 'pong', id: 'late', serverTime: 0 });
  assert.deepEqual(await acksSoFar(client, connection), [4, 8, 12, 16, 20], 'frame 21 is pending, half a window not reached');
});

test('nothing is acked before the gateway grants the window; the grant then acks what came before it', async (t) => {
  // Given a client with window 8 whose gateway sends 5 frames before answering flow
  const { client, connection } = await connected(t, { window: 8 });
  const flow = await connection.next('flow');
  await deliver(client, connection, ...mixedFrames(1, 4));
  assert.deepEqual(await acksSoFar(client, connection), []);

  // When the grant arrives (frame 6)
  const granted = nextEmit(client, 'frame', (frame) => frame.op === 'flow');
  connection.send({ op: 'flow', id: flow.id, window: 8 });
  await granted;

  // Then the client acks all 6 at once
  assert.deepEqual(await acksSoFar(client, connection), [6]);
});

test('a gateway granting a smaller window than asked is acked at half of its window', async (t) => {
  const { client, connection } = await connected(t, { window: 64 });
  const flow = await connection.next('flow');
  connection.send({ op: 'flow', id: flow.id, window: 10 });
  await deliver(client, connection, ...mixedFrames(1, 10));
  assert.deepEqual(await acksSoFar(client, connection), [5, 10]);
});

test('counts start over on every connection and acks of the old one are never replayed', async (t) => {
  // Given a live client with window 8 that acked 4 of the 7 frames it received on its first connection
  const { gateway, clock, client, connection: first } = await connected(t, { window: 8 });
  const flow1 = await first.next('flow');
  first.send({ op: 'flow', id: flow1.id, window: 8 });
  const subscribe = await first.next('subscribe');
  const live = nextEmit(client, 'replayed');
  first.accept(subscribe, { events: [eventFrame(ROOM, 1), eventFrame(ROOM, 2), eventFrame(ROOM, 3)] });
  await live;
  await deliver(client, first); // frames: flow, subscribed, 3 events, replayed, pong = 7
  assert.deepEqual(await acksSoFar(client, first), [4]);

  // When the link dies and the client reconnects
  const reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  const info = await reconnecting;
  clock.advance(info.delayMs);
  const second = await gateway.nextConnection();

  // Then the new connection asks for the window first, then resumes
  const resume = await second.next('subscribe');
  assert.equal(resume.resume, 'cur-3');
  const flow2 = second.frames[0];
  assert.equal(flow2.op, 'flow');
  assert.equal(flow2.window, 8);
  assert.notEqual(flow2.id, flow1.id);

  // When it receives 3 frames and the grant
  second.send({ op: 'flow', id: flow2.id, window: 8 });
  second.accept(resume, { events: [eventFrame(ROOM, 4)], replayed: true });
  await nextEmit(client, 'resumed');

  // Then its first ack counts only its own 4 frames, and nothing of the first connection was sent again
  assert.deepEqual(await acksSoFar(client, second), [4]);
  assert.deepEqual(second.frames.map((frame) => frame.op), ['flow', 'subscribe', 'ack', 'ping']);
});

for (const window of [0, false]) {
  test(`window ${window} sends neither flow nor ack`, async (t) => {
    const { client, connection } = await connected(t, { window });
    const subscribe = await connection.next('subscribe');
    connection.accept(subscribe, { events: [eventFrame(ROOM, 1)] });
    await deliver(client, connection, ...mixedFrames(2, 40));
    await acksSoFar(client, connection);
    assert.deepEqual(connection.frames.map((frame) => frame.op), ['subscribe', 'ping']);
  });
}

test('a gateway that refuses flow (unknown op) leaves the connection without acks, no error, no reconnect', async (t) => {
  // Given a client with window 8 on a gateway that does not know flow
  const { gateway, client, connection } = await connected(t, { window: 8 });
  const flow = await connection.next('flow');
  const subscribe = await connection.next('subscribe');
  const errors = record(client, 'error');
  const states = record(client, 'state');

  // When the gateway refuses it as an unknown op, then serves the subscribe and 30 frames
  connection.send({ op: 'error', id: flow.id, code: 'bad_request', message: 'unknown op: flow' });
  const replayed = nextEmit(client, 'replayed');
  connection.accept(subscribe, { events: [eventFrame(ROOM, 1)] });
  await replayed;
  await deliver(client, connection, ...mixedFrames(2, 30).filter((frame) => frame.op !== 'error'));

  // Then no ack was ever sent, the refusal was not reported as an error, and the client stayed on its connection
  assert.deepEqual(await acksSoFar(client, connection), []);
  assert.deepEqual(errors.map((e) => e.code), []);
  assert.deepEqual(states, []);
  assert.equal(gateway.connections.length, 1);
  assert.equal(client.state, 'live');
});

test('the window option takes 8..4096, 0 or false', () => {
  const gateway = { url: 'ws://127.0.0.1:9/v1/stream' };
  for (const window of [8, 64, 4096, 0, false, undefined]) clientFor(gateway, new FakeClock(), { window });
  for (const window of [7, 4097, 8.5, -64, '64', true, Number.NaN]) {
    assert.throws(() => clientFor(gateway, new FakeClock(), { window }), TypeError, `window ${String(window)}`);
  }
});

test('an ack the socket refused is retried on the next frame of its connection, never queued for the next one', async (t) => {
  // Given a client with window 8 whose socket refuses to send acks for now
  let refuseAcks = true;
  class FlakyWebSocket extends WebSocket {
    send(data, ...rest) {
      if (refuseAcks && JSON.parse(data).op === 'ack') throw new Error('send buffer full');
      return super.send(data, ...rest);
    }
  }
  const { gateway, clock, client, connection: first } = await connected(t, { window: 8, WebSocket: FlakyWebSocket });
  const errors = record(client, 'error');
  const flow = await first.next('flow');
  first.send({ op: 'flow', id: flow.id, window: 8 });
  await deliver(client, first, ...mixedFrames(1, 2)); // grant, 2 frames and the fence: 4 frames

  // Then the ack due at frame 4 failed as a socket_error and nothing reached the gateway
  assert.deepEqual(errors.map((e) => [e.code, e.frame && e.frame.received]), [['socket_error', 4]]);
  assert.deepEqual(await acksSoFar(client, first), []);

  // When the socket takes acks again and one more frame arrives (frame 5)
  refuseAcks = false;
  await deliver(client, first);
  assert.deepEqual(await acksSoFar(client, first), [5]);

  // When acks fail again for frames 6..9 and the link dies
  refuseAcks = true;
  await deliver(client, first, ...mixedFrames(10, 3));
  assert.deepEqual(errors.map((e) => e.frame && e.frame.received), [4, 9]);
  const reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  clock.advance((await reconnecting).delayMs);
  refuseAcks = false;
  const second = await gateway.nextConnection();

  // Then the new connection carries no ack of the old one
  await second.next('subscribe');
  assert.deepEqual(await acksSoFar(client, second), []);
  assert.deepEqual(second.frames.map((frame) => frame.op), ['flow', 'subscribe', 'ping']);
});
