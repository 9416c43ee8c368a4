import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FakeGateway, FakeClock, clientFor, eventFrame, nextEmit, record, stateReached,
} from './support/harness.mjs';

test('the offline queue is bounded, drops the oldest frame with an error, and flushes in order', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { offlineQueueLimit: 3 });
  t.after(async () => { client.close(); await gateway.stop(); });
  const errors = record(client, 'error');

  // Given an offline client asked to send 5 frames and subscribe to 4 rooms (one later unsubscribed)
  for (let n = 1; n <= 5; n += 1) client.send({ op: 'mark', n });
  const rooms = ['project:q1', 'project:q2', 'project:q3', 'project:q4'];
  const subscribed = client.subscribe(rooms.slice(0, 2));
  client.subscribe(rooms.slice(2));
  client.unsubscribe('project:q3');

  // Then the two oldest frames were dropped, each with an offline_queue_full error naming it
  assert.deepEqual(errors.map((e) => [e.code, e.dropped.n]), [['offline_queue_full', 1], ['offline_queue_full', 2]]);

  // When the client connects
  client.connect();
  const connection = await gateway.nextConnection();

  // Then the flow-control request and the subscriptions (state, never dropped) go first, then the 3 newest
  // frames in order
  const subscribe = await connection.next('subscribe');
  assert.deepEqual(subscribe.rooms, ['project:q1', 'project:q2', 'project:q4']);
  const marks = [await connection.next('mark'), await connection.next('mark'), await connection.next('mark')];
  assert.deepEqual(marks.map((frame) => frame.n), [3, 4, 5]);
  assert.deepEqual(connection.frames.map((frame) => frame.op), ['flow', 'subscribe', 'mark', 'mark', 'mark']);
  assert.equal(connection.framesOf('unsubscribe').length, 0, 'an offline unsubscribe is state, not a frame');
  connection.accept(subscribe);
  assert.deepEqual(await subscribed, { rooms: ['project:q1', 'project:q2'], cursor: 'cur-0' });
});

test('frames queued while reconnecting are sent after the resume subscribe; dropped pings reject', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: ['project:q5'], offlineQueueLimit: 2 });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a live client that loses its link
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame('project:q5', 1)] });
  await seen;
  const reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  const info = await reconnecting;

  // When three pings are asked for while offline (limit 2)
  const pings = [client.ping(), client.ping(), client.ping()];

  // Then the oldest rejects with offline_queue_full
  await assert.rejects(pings[0], (e) => e.code === 'offline_queue_full' && e.dropped.op === 'ping');

  // When the client reconnects
  clock.advance(info.delayMs);
  const second = await gateway.nextConnection();
  const resume = await second.next('subscribe');
  assert.equal(resume.resume, 'cur-1');
  const sentPings = [await second.next('ping'), await second.next('ping')];
  assert.deepEqual(second.frames.map((frame) => frame.op), ['flow', 'subscribe', 'ping', 'ping']);

  // Then the queued pings resolve with their pongs
  second.send(...sentPings.map((ping) => ({ op: 'pong', id: ping.id, serverTime: 1_700_000_000_123 })));
  const pongs = await Promise.all(pings.slice(1));
  assert.deepEqual(pongs.map((pong) => pong.serverTime), [1_700_000_000_123, 1_700_000_000_123]);
  assert.deepEqual(pongs.map((pong) => pong.id), sentPings.map((ping) => ping.id));
});

test('subscriptions and flow control cannot be pushed through send(): they are state / per connection', () => {
  const client = clientFor({ url: 'ws://127.0.0.1:9/v1/stream' }, new FakeClock());
  assert.throws(() => client.send({ op: 'subscribe', rooms: ['project:p1'] }), TypeError);
  assert.throws(() => client.send({ rooms: [] }), TypeError);
  assert.throws(() => client.send({ op: 'ack', received: 3 }), TypeError);
  assert.throws(() => client.send({ op: 'flow', window: 64 }), TypeError);
});
