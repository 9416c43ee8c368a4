import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  FakeGateway, FakeClock, clientFor, eventFrame, nextEmit, record, stateReached,
} from './support/harness.mjs';

const ROOM = 'project:p-close';

for (const [code, errorCode] of [[4001, 'unauthorized'], [4003, 'forbidden']]) {
  test(`${code} ${errorCode}: no automatic reconnect, state 'unauthorized', pending work rejected`, async (t) => {
    const gateway = await FakeGateway.start();
    const clock = new FakeClock();
    const client = clientFor(gateway, clock, { rooms: [ROOM] });
    t.after(async () => { client.close(); await gateway.stop(); });
    const errors = record(client, 'error');

    // Given a connected client with a subscribe still waiting for its reply
    client.connect();
    const connection = await gateway.nextConnection();
    await connection.next('subscribe');
    const pendingSubscribe = client.subscribe('project:p-close-2');
    await connection.next('subscribe');

    // When the gateway closes with the auth code
    const unauthorized = stateReached(client, 'unauthorized');
    connection.close(code, 'token expired');
    const info = await unauthorized;

    // Then the client stays down: no reconnect timer, an auth error, the subscribe rejected
    assert.equal(info.closeCode, code);
    assert.equal(client.state, 'unauthorized');
    assert.deepEqual(clock.pendingDelays(), []);
    clock.advance(10 * 60_000);
    assert.equal(gateway.connections.length, 1);
    assert.deepEqual(errors.map((e) => [e.code, e.closeCode, e.reason]), [[errorCode, code, 'token expired']]);
    await assert.rejects(pendingSubscribe, (e) => e.code === errorCode);

    // When the app supplies a fresh token and connects again
    client.setToken('token-2');
    client.connect();
    const again = await gateway.nextConnection();

    // Then the new connection carries the new token and every wanted room
    assert.equal(again.token, 'token-2');
    const subscribe = await again.next('subscribe');
    assert.deepEqual(subscribe.rooms, [ROOM, 'project:p-close-2']);
  });
}

test('getToken is asked again before every reconnect', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  let issued = 0;
  const client = clientFor(gateway, clock, {
    token: undefined,
    rooms: [ROOM],
    getToken: async () => { issued += 1; return `jwt-${issued}`; },
  });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a first connection made with the first token
  client.connect();
  const first = await gateway.nextConnection();
  assert.equal(first.token, 'jwt-1');
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame(ROOM, 3)] });
  await seen;

  // When the link drops (going away) and the backoff elapses
  const reconnecting = stateReached(client, 'reconnecting');
  first.close(1001, 'shutting down');
  const info = await reconnecting;
  assert.equal(info.closeCode, 1001);
  clock.advance(info.delayMs);

  // Then the reconnect uses a freshly fetched token and resumes
  const second = await gateway.nextConnection();
  assert.equal(second.token, 'jwt-2');
  assert.equal((await second.next('subscribe')).resume, 'cur-3');
});

test('a failing getToken is reported and retried with backoff', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  let calls = 0;
  const client = clientFor(gateway, clock, {
    token: undefined,
    getToken: async () => {
      calls += 1;
      if (calls === 1) throw new Error('auth server down');
      return 'jwt-ok';
    },
  });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a token source that fails once
  const error = nextEmit(client, 'error');
  const reconnecting = stateReached(client, 'reconnecting');
  client.connect();

  // Then the failure is reported, a backoff is scheduled, and the retry connects with the new token
  assert.equal((await error).code, 'token_error');
  clock.advance((await reconnecting).delayMs);
  const connection = await gateway.nextConnection();
  assert.equal(connection.token, 'jwt-ok');
});

test("auth: 'header' sends the token as a bearer header instead of the query", async (t) => {
  const gateway = await FakeGateway.start();
  const client = clientFor(gateway, new FakeClock(), { auth: 'header', token: 'secret-jwt' });
  t.after(async () => { client.close(); await gateway.stop(); });

  client.connect();
  const connection = await gateway.nextConnection();

  assert.equal(connection.authorization, 'Bearer secret-jwt');
  assert.equal(connection.token, null);
});

test('close() ends the connection with 1000 and stops reconnecting', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM], heartbeatMs: 1000 });
  t.after(async () => { await gateway.stop(); });

  const live = client.connect();
  const connection = await gateway.nextConnection();
  await live;
  const pendingPing = client.ping();
  await connection.next('ping');

  client.close();

  assert.equal((await connection.closed).code, 1000);
  assert.equal(client.state, 'closed');
  assert.deepEqual(clock.pendingDelays(), [], 'no heartbeat or reconnect timer left');
  await assert.rejects(pendingPing, (e) => e.code === 'closed');
});
