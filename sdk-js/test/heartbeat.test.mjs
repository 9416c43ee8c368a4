import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { once } from 'node:events';
import { SitewireClient } from '../src/sitewire.js';
import { WebSocket } from './support/harness.mjs';
import {
  FakeGateway, FakeClock, clientFor, eventFrame, nextEmit, stateReached,
} from './support/harness.mjs';

const ROOM = 'project:p-heartbeat';

test('pings every heartbeat; a link silent for 2x heartbeat is dropped, reconnected and resumed', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM], heartbeatMs: 15_000 });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a live client that saw event 5 at t0
  client.connect();
  const first = await gateway.nextConnection();
  const subscribe = await first.next('subscribe');
  const seen = nextEmit(client, 'event');
  first.accept(subscribe, { events: [eventFrame(ROOM, 5)] });
  await seen;

  // When 15 s pass, the client pings; the gateway answers
  clock.advance(15_000);
  const ping1 = await first.next('ping');
  const pong = nextEmit(client, 'pong');
  first.send({ op: 'pong', id: ping1.id, serverTime: clock.now() });
  await pong;

  // and then the gateway goes silent (a half-open TCP link): pings go unanswered
  const timeout = nextEmit(client, 'error', (e) => e.code === 'heartbeat_timeout');
  const reconnecting = stateReached(client, 'reconnecting');
  clock.advance(15_000);
  await first.next('ping');
  assert.equal(client.state, 'live', 'one unanswered ping is not yet a dead link');
  clock.advance(14_999);
  assert.equal(client.state, 'live', 'still within 2x heartbeat of the last frame');
  clock.advance(1);

  // Then 2x heartbeat after the last frame the link is declared dead and closed by the client
  await timeout;
  const info = await reconnecting;
  assert.equal(info.reason, 'heartbeat timeout');
  assert.equal((await first.closed).code, 4000);

  // and after the backoff the client reconnects and resumes from its cursor
  clock.advance(info.delayMs);
  const second = await gateway.nextConnection();
  assert.equal((await second.next('subscribe')).resume, 'cur-5');
});

test('any inbound frame keeps the link alive, pong or not', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: [ROOM], heartbeatMs: 1_000 });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a live client receiving an event every 1.5 s and never a pong
  client.connect();
  const connection = await gateway.nextConnection();
  const subscribe = await connection.next('subscribe');
  connection.accept(subscribe);
  await nextEmit(client, 'replayed');
  for (let n = 1; n <= 5; n += 1) {
    clock.advance(1_500);
    const seen = nextEmit(client, 'event');
    connection.send(eventFrame(ROOM, n));
    await seen;
  }

  // Then 7.5 s later the link is still considered alive
  assert.equal(client.state, 'live');
  assert.equal(gateway.connections.length, 1);
  assert.ok(connection.framesOf('ping').length >= 5, 'pings kept going');
});

test('a handshake that never completes is given up after 2x heartbeat', async (t) => {
  // Given a TCP server that accepts connections and never answers the upgrade request
  const sockets = [];
  const server = net.createServer((socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const clock = new FakeClock();
  const client = new SitewireClient({
    url: `ws://127.0.0.1:${server.address().port}/v1/stream`, token: 't', WebSocket, clock, random: () => 0, heartbeatMs: 1_000,
  });
  t.after(async () => {
    client.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const connected = once(server, 'connection');
  client.connect();
  await connected;

  // When 2 s pass without the socket opening
  const timeout = nextEmit(client, 'error', (e) => e.code === 'heartbeat_timeout');
  const reconnecting = stateReached(client, 'reconnecting');
  clock.advance(1_999);
  assert.equal(client.state, 'connecting');
  clock.advance(1);

  // Then the attempt is abandoned and a reconnect scheduled
  await timeout;
  assert.equal((await reconnecting).delayMs, 500);
});
