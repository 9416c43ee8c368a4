import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, DEFAULTS } from '../src/sitewire.js';
import {
  FakeGateway, FakeClock, clientFor, nextEmit, seededRandom, stateReached,
} from './support/harness.mjs';

test('delays grow by the factor from the initial delay up to the cap', () => {
  const noJitter = () => 0;
  const delays = Array.from({ length: 10 }, (_, attempt) => backoffDelay(attempt, DEFAULTS.backoff, noJitter));

  assert.deepEqual(delays, [500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000, 30000]);
  assert.equal(backoffDelay(5000, DEFAULTS.backoff, noJitter), 30000, 'huge attempt counts stay capped');
  assert.equal(backoffDelay(3, { initialMs: 100, maxMs: 1000, factor: 3, jitter: 0 }, Math.random), 1000);
  assert.equal(backoffDelay(2, { initialMs: 100, maxMs: 1000, factor: 3, jitter: 0 }, Math.random), 900);
});

test('jitter keeps every delay within [ceiling * (1 - jitter), ceiling] and actually spreads them', () => {
  for (const seed of [1, 7, 42, 2024]) {
    const random = seededRandom(seed);
    for (const jitter of [0, 0.25, 0.5, 1]) {
      const backoff = { ...DEFAULTS.backoff, jitter };
      for (let attempt = 0; attempt < 12; attempt += 1) {
        const ceiling = Math.min(backoff.maxMs, backoff.initialMs * 2 ** attempt);
        const seen = new Set();
        for (let i = 0; i < 50; i += 1) {
          const delay = backoffDelay(attempt, backoff, random);
          assert.ok(delay >= Math.floor(ceiling * (1 - jitter)) && delay <= ceiling,
            `seed ${seed} jitter ${jitter} attempt ${attempt}: ${delay} outside [${ceiling * (1 - jitter)}, ${ceiling}]`);
          seen.add(delay);
        }
        if (jitter === 0) assert.equal(seen.size, 1);
        else assert.ok(seen.size > 10, `jitter ${jitter} should spread delays, saw ${seen.size} distinct`);
      }
    }
  }
  assert.equal(backoffDelay(0, DEFAULTS.backoff, () => 0.999999), 250, 'random near 1 gives the lower bound');
});

test('a gateway that keeps refusing sees growing, jittered, capped delays; a healthy link resets them', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const random = seededRandom(99);
  const draws = [];
  const client = clientFor(gateway, clock, {
    rooms: ['project:p-backoff'],
    backoff: { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 },
    random: () => { const r = random(); draws.push(r); return r; },
  });
  t.after(async () => { client.close(); await gateway.stop(); });

  // Given a gateway that closes every connection at once with 1011 (internal error)
  const delays = [];
  client.connect();
  for (let attempt = 0; attempt < 6; attempt += 1) {
    const connection = await gateway.nextConnection();
    const reconnecting = stateReached(client, 'reconnecting');
    connection.close(1011, 'boom');
    const info = await reconnecting;
    delays.push(info.delayMs);
    assert.deepEqual(clock.pendingDelays(), [info.delayMs], 'exactly one timer: the reconnect');
    clock.advance(info.delayMs);
  }

  // Then the delays follow min(1000, 100 * 2^n) jittered by the injected random numbers
  const expected = draws.map((r, n) => Math.round(Math.min(1000, 100 * 2 ** n) * (1 - 0.5 * r)));
  assert.deepEqual(delays, expected);
  assert.ok(delays[5] <= 1000 && delays[5] >= 500, 'capped');

  // When a connection is accepted and confirmed (the gateway accepts us), then dropped
  const healthy = await gateway.nextConnection();
  const confirmed = nextEmit(client, 'subscribed');
  healthy.accept(await healthy.next('subscribe'));
  await confirmed;
  const reconnecting = stateReached(client, 'reconnecting');
  healthy.kill();
  const info = await reconnecting;

  // Then the backoff starts over from the initial delay
  assert.equal(info.attempt, 1);
  assert.ok(info.delayMs <= 100 && info.delayMs >= 50, `reset to the initial delay, got ${info.delayMs}`);
});

test('connect() during a backoff delay dials at once (e.g. on the browser online event)', async (t) => {
  const gateway = await FakeGateway.start();
  const clock = new FakeClock();
  const client = clientFor(gateway, clock, { rooms: ['project:p-backoff'] });
  t.after(async () => { client.close(); await gateway.stop(); });
  client.connect();
  const first = await gateway.nextConnection();
  const reconnecting = stateReached(client, 'reconnecting');
  first.close(1011, 'boom');
  assert.equal((await reconnecting).delayMs, 500);

  client.connect();

  const second = await gateway.nextConnection();
  assert.deepEqual(clock.pendingDelays(), [], 'the backoff timer was cancelled');
  assert.deepEqual((await second.next('subscribe')).rooms, ['project:p-backoff']);
});
