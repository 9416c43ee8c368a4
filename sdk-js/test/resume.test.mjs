import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FakeGateway, FakeClock, clientFor, eventFrame, nextEmit, record, stateReached,
} from './support/harness.mjs';

const ROOM = 'project:p-resume';
const WORKER_ROOM = 'worker:w7:project:p-resume';

test('a dropped connection is resumed from the last cursor and replayed duplicates are dropped', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM, WORKER_ROOM] });
  t.after(async () => { client.close(); await gateway.stop(); });
  const events = record(client, 'event');
  const states = record(client, 'state');

  // Given a live client that has seen events 1 and 2
  const live = stateReached(client, 'live');
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  assert.deepEqual(subscribe.rooms, [ROOM, WORKER_ROOM]);
  assert.equal(subscribe.resume, undefined, 'nothing to resume on a first connection');
  assert.equal(subscribe.from, undefined, 'default is latest, left to the gateway');
  const twoEvents = nextEmit(client, 'event', (frame) => frame.pos === eventFrame(ROOM, 2).pos);
  first.accept(subscribe, { cursor: 'cur-0', events: [eventFrame(ROOM, 1), eventFrame(ROOM, 2)] });
  await live;
  await twoEvents;
  assert.equal(client.cursor, 'cur-2');

  // When the gateway kills the socket
  const reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  const info = await reconnecting;

  // Then the client waits the backoff delay (random 0: the full initial delay) and reconnects
  assert.equal(info.delayMs, 500);
  assert.equal(info.attempt, 1);
  assert.equal(gateway.connections.length, 1, 'no reconnect before the backoff delay');
  clock.advance(499);
  assert.equal(gateway.connections.length, 1);
  const resuming = stateReached(client, 'resuming');
  clock.advance(1);
  const second = await gateway.nextConnection();

  // and resumes every room from the cursor of the last event it processed
  const resume = await second.next('subscribe');
  assert.deepEqual(resume.rooms, [ROOM, WORKER_ROOM]);
  assert.equal(resume.resume, 'cur-2');
  assert.equal(resume.from, undefined, 'resume replaces from');
  await resuming;
  assert.equal(client.state, 'resuming');

  // When the gateway replays event 2 again (already seen) then 3 and 4, then says replayed
  const resumed = nextEmit(client, 'resumed');
  second.accept(resume, {
    cursor: 'cur-2',
    events: [eventFrame(ROOM, 2), eventFrame(ROOM, 3), eventFrame(WORKER_ROOM, 3), eventFrame(ROOM, 4)],
  });

  // Then only the missed events are delivered, once, in order, and the resume is reported
  const report = await resumed;
  assert.deepEqual(report, { replayedCount: 3, duplicates: 1, gaps: 0, serverCount: 4, cursor: 'cur-4' });
  assert.deepEqual(events.map((e) => `${e.room}#${e.pos.split('@')[1]}`), [
    `${ROOM}#1`, `${ROOM}#2`, `${ROOM}#3`, `${WORKER_ROOM}#3`, `${ROOM}#4`,
  ]);
  assert.equal(client.state, 'live');
  assert.deepEqual(states, ['connecting', 'live', 'reconnecting', 'resuming', 'live']);
});

test('4008 slow consumer: reconnects at once, without a backoff timer, and resumes', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM] });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a live client at cursor cur-7
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame(ROOM, 7)] });
  await seen;

  // When the gateway closes with 4008 "resume from your cursor"
  const reconnecting = stateReached(client, 'reconnecting');
  first.close(4008, 'resume from your cursor');
  const info = await reconnecting;

  // Then the client is back at once (the clock never moves) and resumes from cur-7
  assert.equal(info.delayMs, 0);
  assert.equal(info.closeCode, 4008);
  const second = await gateway.nextConnection();
  const resume = await second.next('subscribe');
  assert.equal(resume.resume, 'cur-7');
  assert.deepEqual(resume.rooms, [ROOM]);
  assert.deepEqual(clock.pendingDelays(), [], 'no backoff timer was involved');
  const resumed = nextEmit(client, 'resumed');
  second.accept(resume, { cursor: 'cur-7', events: [eventFrame(ROOM, 8)] });
  assert.equal((await resumed).replayedCount, 1);

  // When the gateway 4008s again (progress was made: cur-7 -> cur-8), then once more with no progress
  second.close(4008, 'resume from your cursor');
  const third = await gateway.nextConnection();
  const resumeAgain = await third.next('subscribe');
  assert.equal(resumeAgain.resume, 'cur-8');
  const replayed = nextEmit(client, 'replayed');
  third.accept(resumeAgain, { cursor: 'cur-8' });
  await replayed;
  const again = stateReached(client, 'reconnecting');
  third.close(4008, 'resume from your cursor');

  // Then the client does not loop at once but backs off
  assert.equal((await again).delayMs, 500);
  assert.deepEqual(clock.pendingDelays(), [500]);
  assert.equal(gateway.connections.length, 3);
});

test('a stored cursor resumes the same rooms after a page reload', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const store = new Map();
  const storage = { get: async (key) => store.get(key), set: async (key, value) => { store.set(key, value); } };
  t.after(async () => { await gateway.stop(); });

  // Given a first page that saw events up to cur-12 and was closed
  const firstPage = clientFor(gateway, clock, { rooms: [ROOM], storage });
  firstPage.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(firstPage, 'event', (frame) => frame.cursor === 'cur-12');
  first.accept(subscribe, { events: [eventFrame(ROOM, 11), eventFrame(ROOM, 12)] });
  await seen;
  firstPage.close();
  const saved = JSON.parse(store.get('sitewire.cursor'));
  assert.equal(saved.cursor, 'cur-12');
  assert.deepEqual(saved.rooms, [ROOM]);

  // When the page reloads with the same storage and rooms, plus a new room
  const secondPage = clientFor(gateway, clock, { rooms: [ROOM, 'project:p-other'], storage });
  t.after(() => secondPage.close());
  const states = record(secondPage, 'state');
  secondPage.connect();
  const second = await gateway.nextConnection();

  // Then the known room resumes from the stored cursor and the new room starts from latest
  const resume = await second.next('subscribe');
  assert.deepEqual(resume.rooms, [ROOM]);
  assert.equal(resume.resume, 'cur-12');
  const fresh = await second.next('subscribe');
  assert.deepEqual(fresh.rooms, ['project:p-other']);
  assert.equal(fresh.resume, undefined);
  const resumed = nextEmit(secondPage, 'resumed');
  second.accept(resume, { cursor: 'cur-12', events: [eventFrame(ROOM, 13)] });
  assert.equal((await resumed).replayedCount, 1);
  assert.deepEqual(states, ['connecting', 'resuming', 'live']);
});

test('a gap during the resume is surfaced and counted', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM] });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a client that reconnects after a long outage
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame(ROOM, 1)] });
  await seen;
  const reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  clock.advance((await reconnecting).delayMs);
  const second = await gateway.nextConnection();
  const resume = await second.next('subscribe');

  // When the gateway says part of the history is past retention
  const gap = nextEmit(client, 'gap');
  const resumed = nextEmit(client, 'resumed');
  second.send({ op: 'subscribed', id: resume.id, rooms: resume.rooms, cursor: 'cur-1' });
  second.send({ op: 'gap', id: resume.id, room: ROOM, lost: 40, from: 1, to: 41, message: 'history before 41 is past retention' });
  second.send(eventFrame(ROOM, 41));
  second.send({ op: 'replayed', id: resume.id, rooms: resume.rooms, cursor: 'cur-41' });

  // Then the app sees the gap and the resume report counts it
  assert.equal((await gap).lost, 40);
  assert.deepEqual(await resumed, { replayedCount: 1, duplicates: 0, gaps: 1, serverCount: null, cursor: 'cur-41' });
});

test('on reconnect an unconfirmed subscribe keeps its own from; a refused cursor falls back and says so', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM] });
  t.after(async () => { client.close(); await gateway.stop(); });
  const errors = record(client, 'error');
  const resumes = record(client, 'resumed');

  // Given ROOM confirmed at cur-3 and a history subscribe for another room still unanswered
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame(ROOM, 3)] });
  await seen;
  const history = client.subscribe('safety-zone:z1:project:p-resume', { from: 1_699_999_000_000 });
  await first.next('subscribe');

  // When the link drops and comes back
  const reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  clock.advance((await reconnecting).delayMs);
  const second = await gateway.nextConnection();

  // Then the confirmed room resumes and the unanswered one is asked again from its own start
  const resume = await second.next('subscribe');
  const again = await second.next('subscribe');
  assert.deepEqual([resume.rooms, resume.resume], [[ROOM], 'cur-3']);
  assert.deepEqual([again.rooms, again.from, again.resume], [['safety-zone:z1:project:p-resume'], 1_699_999_000_000, undefined]);
  second.accept(again, { cursor: 'cur-3' });
  assert.deepEqual((await history).rooms, ['safety-zone:z1:project:p-resume']);

  // When the gateway refuses the cursor
  const live = stateReached(client, 'live');
  second.send({ op: 'error', id: resume.id, code: 'bad_request', message: 'cursor is not valid' });

  // Then the room is subscribed without it, the app is told, and no 'resumed' is claimed
  const fallback = await second.next('subscribe');
  assert.deepEqual([fallback.rooms, fallback.resume], [[ROOM], undefined]);
  await live;
  assert.deepEqual(errors.map((e) => e.code), ['bad_request', 'resume_rejected']);
  assert.deepEqual(resumes, []);
  assert.deepEqual(client.rooms, [ROOM, 'safety-zone:z1:project:p-resume']);
});

test('a replay the gateway fails after subscribed (unavailable) restarts the connection with growing backoff', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM] });
  t.after(async () => { client.close(); await gateway.stop(); });
  const resumes = record(client, 'resumed');

  // Given a client at cur-2 that reconnects to resume
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame(ROOM, 2)] });
  await seen;
  let reconnecting = stateReached(client, 'reconnecting');
  first.kill();
  clock.advance((await reconnecting).delayMs);

  const delays = [];
  for (let round = 0; round < 2; round += 1) {
    const connection = await gateway.nextConnection();
    const resume = await connection.next('subscribe');
    assert.equal(resume.resume, 'cur-2');

    // When the gateway confirms, then fails the replay because Kafka is unavailable (it drops the rooms)
    reconnecting = stateReached(client, 'reconnecting');
    connection.send({ op: 'subscribed', id: resume.id, rooms: resume.rooms, cursor: 'cur-2' });
    connection.send({ op: 'error', id: resume.id, code: 'unavailable', message: 'Kafka is unavailable' });

    // Then the client drops that connection itself and tries again later, backing off further each time
    const info = await reconnecting;
    assert.equal((await connection.closed).code, 4000);
    delays.push(info.delayMs);
    clock.advance(info.delayMs);
  }
  assert.deepEqual(delays, [1000, 2000], 'the attempt counter is not reset by a connection that lost its rooms');

  // and once the gateway can serve again, the resume completes from the same cursor
  const healthy = await gateway.nextConnection();
  const resume = await healthy.next('subscribe');
  assert.equal(resume.resume, 'cur-2');
  const resumed = nextEmit(client, 'resumed');
  healthy.accept(resume, { cursor: 'cur-2', events: [eventFrame(ROOM, 3)] });
  assert.equal((await resumed).replayedCount, 1);
  assert.equal(resumes.length, 1, 'no resume was claimed for the failed rounds');
  assert.deepEqual(client.rooms, [ROOM]);
});
