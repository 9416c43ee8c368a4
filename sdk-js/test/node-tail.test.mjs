import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeGateway, eventFrame } from './support/harness.mjs';

const script = fileURLToPath(new URL('../examples/node-tail.mjs', import.meta.url));

function run(args, env) {
  const child = spawn(process.execPath, [script, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => { stdout += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, exited };
}

test('node-tail prints N events as JSON lines and exits 0', async (t) => {
  const gateway = await FakeGateway.start();
  t.after(() => gateway.stop());

  // Given node-tail started on two rooms with --max 2
  const { exited } = run(['--max', '2', '--seconds', '20', '--from', 'earliest', 'project:p-tail', 'worker:w1:project:p-tail'],
    { SITEWIRE_URL: gateway.url, SITEWIRE_TOKEN: 'tail-jwt' });
  const connection = await gateway.nextConnection();

  // When the gateway confirms and sends three events
  assert.equal(connection.authorization, 'Bearer tail-jwt', 'Node with `ws` sends the token as a header');
  const subscribe = await connection.next('subscribe');
  assert.deepEqual(subscribe.rooms, ['project:p-tail', 'worker:w1:project:p-tail']);
  assert.deepEqual([connection.frames[0].op, connection.frames[0].window], ['flow', 256], 'the default window, asked for first');
  assert.equal(subscribe.from, 'earliest');
  connection.accept(subscribe, { events: [eventFrame('project:p-tail', 1), eventFrame('worker:w1:project:p-tail', 2), eventFrame('project:p-tail', 3)] });

  // Then it printed exactly the first two, one JSON object per line, closed cleanly and exited 0
  const { code, stdout, stderr } = await exited;
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(lines.map((frame) => [frame.room, frame.cursor]), [['project:p-tail', 'cur-1'], ['worker:w1:project:p-tail', 'cur-2']]);
  assert.equal((await connection.closed).code, 1000);
});

test('node-tail exits 3 when the gateway refuses the token and 2 when time runs out before N events', async (t) => {
  const gateway = await FakeGateway.start();
  t.after(() => gateway.stop());

  const refused = run(['project:p-tail'], { SITEWIRE_URL: gateway.url, SITEWIRE_TOKEN: 'expired' });
  (await gateway.nextConnection()).close(4001, 'token expired');
  assert.equal((await refused.exited).code, 3);

  const slow = run(['--max', '5', '--seconds', '0.3', '--window', '0', 'project:p-tail'], { SITEWIRE_URL: gateway.url, SITEWIRE_TOKEN: 'ok' });
  const connection = await gateway.nextConnection();
  connection.accept(await connection.next('subscribe'), { events: [eventFrame('project:p-tail', 1)] });
  assert.equal(connection.frames[0].op, 'subscribe', '--window 0: no flow control');
  const { code, stdout } = await slow.exited;
  assert.equal(code, 2);
  assert.equal(stdout.trim().split('\n').length, 1);
});

test('node-tail explains its usage', async () => {
  const { code, stderr } = await run([], { SITEWIRE_URL: 'ws://127.0.0.1:9', SITEWIRE_TOKEN: 'x' }).exited;
  assert.equal(code, 1);
  assert.match(stderr, /usage: /);
  const badWindow = await run(['--window', '5', 'project:p1'], { SITEWIRE_URL: 'ws://127.0.0.1:9', SITEWIRE_TOKEN: 'x' }).exited;
  assert.equal(badWindow.code, 1);
  assert.match(badWindow.stderr, /--window takes 0/);
});
