import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { buildUmd } from '../scripts/build-umd.mjs';
import { FakeGateway, WebSocket, eventFrame } from './support/harness.mjs';

const source = readFileSync(new URL('../src/sitewire.js', import.meta.url), 'utf8');
const dist = readFileSync(new URL('../dist/sitewire.umd.js', import.meta.url), 'utf8');

test('dist/sitewire.umd.js is the build of src/sitewire.js (run npm run build after editing src)', () => {
  assert.equal(dist, buildUmd(source));
});

test('the classic-script build defines window.Sitewire and works like a page would use it', async (t) => {
  const gateway = await FakeGateway.start();
  t.after(() => gateway.stop());
  const port = new URL(gateway.url).port;

  // Given a browser-like global: a WebSocket constructor and a page served by the gateway over http
  const window = {
    WebSocket,
    location: { href: `http://127.0.0.1:${port}/dashboard/index.html` },
    URL, TextDecoder, console, setTimeout, clearTimeout, Date, Promise,
  };
  window.window = window;
  vm.createContext(window);

  // When the file is loaded as a classic script and the page connects with a relative URL
  vm.runInContext(dist, window, { filename: 'sitewire.umd.js' });
  assert.equal(typeof window.Sitewire.SitewireClient, 'function');
  const page = vm.runInContext(`
    var received = [];
    var client = new Sitewire.SitewireClient({ url: '/v1/stream', token: 'browser-jwt', rooms: ['project:p-umd'] });
    client.on('alert', function (frame) { received.push(frame.data.alertId); });
    client.connect();
    ({ client: client, received: received });
  `, window);
  t.after(() => page.client.close());
  const connection = await gateway.nextConnection();

  // Then it reached the gateway over ws:// with the token in the query, and receives typed events
  assert.equal(connection.url.pathname, '/v1/stream');
  assert.equal(connection.token, 'browser-jwt');
  const subscribe = await connection.next('subscribe');
  assert.deepEqual(subscribe.rooms, ['project:p-umd']);
  assert.deepEqual([connection.frames[0].op, connection.frames[0].window], ['flow', 256], 'the default window, asked for first');
  const delivered = new Promise((resolve) => page.client.on('alert', resolve));
  connection.accept(subscribe, { events: [eventFrame('project:p-umd', 1)] });
  await delivered;
  assert.deepEqual([...page.received], ['a-1']);
});

test('the build also loads through require()', () => {
  const require = createRequire(import.meta.url);
  const sdk = require('../dist/sitewire.umd.js');
  assert.equal(typeof sdk.SitewireClient, 'function');
  assert.equal(sdk.backoffDelay(1, { initialMs: 100, maxMs: 1000, factor: 2, jitter: 0 }), 200);
});
