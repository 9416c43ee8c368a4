/**
 * The dashboard in a real headless Chromium (Debian's /usr/bin/chromium), driven by playwright-core.
 *
 * Against the real gateway (DashboardBrowserIT sets DASHBOARD_URL and CONTROL_URL; its control server produces
 * records through Kafka), or, when DASHBOARD_URL is unset, against the scripted fake gateway.
 * The browser reaches the gateway through a TCP proxy this test controls, so it can cut the network for real.
 *
 * Env: DASHBOARD_URL (page URL with ?token=&project=), CONTROL_URL, CHROMIUM (default /usr/bin/chromium),
 * SCREENSHOT (where to write the screenshot; none when unset), EMERGENCY_BUDGET_MS (default 1000).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { chromium } from 'playwright-core';
import { startCutProxy } from '../support/cut-proxy.mjs';
import { startFakeGateway } from '../support/fake-gateway.mjs';

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const BUDGET_MS = Number(process.env.EMERGENCY_BUDGET_MS || 1000);
const WAIT = { timeout: 20_000 };
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;

let fake;
let proxy;
let browser;
let userDataDir;
let page;
let control;

/** POSTs to the control server (which produces records); returns its JSON answer. */
async function emit(path) {
  const res = await fetch(control + path, { method: 'POST' });
  const body = await res.json();
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
}

before(async () => {
  if (skip) return;
  let dashboardUrl = process.env.DASHBOARD_URL;
  control = process.env.CONTROL_URL;
  if (!dashboardUrl) {
    fake = await startFakeGateway({ project: `fake${Date.now()}` });
    dashboardUrl = fake.url;
    control = fake.controlUrl;
  }
  assert.ok(control, 'CONTROL_URL is required with DASHBOARD_URL');
  const target = new URL(dashboardUrl);
  proxy = await startCutProxy(target.hostname, Number(target.port));
  target.port = String(proxy.port);
  userDataDir = await mkdtemp(join(tmpdir(), 'sitewire-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  page = browser.pages()[0] || (await browser.newPage());
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[page] ${m.text()}`); });
  page.on('pageerror', (e) => console.error(`[page error] ${e.message}`));
  await page.goto(target.toString());
});

after(async () => {
  if (browser) await browser.close();
  if (proxy) await proxy.close();
  if (fake) await fake.close();
  if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
});

test('the page loads, keeps the token out of the address bar, and goes live', { skip }, async () => {
  await page.locator('#connection[data-state="live"]').waitFor(WAIT);
  assert.equal(await page.locator('#connection').textContent(), 'Live');
  assert.ok(!page.url().includes('token='), `token still in the address bar: ${page.url()}`);
  const project = new URL(process.env.DASHBOARD_URL || fake.url).searchParams.get('project');
  assert.equal(await page.locator('#project-name').textContent(), project);
  assert.match(await page.locator('#scope').textContent(), /whole site/);
});

test('worker dots and equipment appear where the records put them', { skip }, async () => {
  const site = await emit('/emit/positions');
  assert.ok(site.workers.length >= 3, 'the control server produced workers');
  for (const w of site.workers) {
    const dot = page.locator(`#plan circle.worker[data-worker-id="${w.workerId}"]`);
    await dot.waitFor({ state: 'attached', ...WAIT });
    await page.waitForFunction(([id, lat, lng]) => {
      const c = document.querySelector(`#plan circle.worker[data-worker-id="${id}"]`);
      return c && Number(c.dataset.lat) === lat && Number(c.dataset.lng) === lng;
    }, [w.workerId, w.lat, w.lng], WAIT);
  }
  // the plan is north up and east right: compare the drawn positions with the records' coordinates
  const drawn = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('#plan circle.worker')]
    .map((c) => [c.dataset.workerId, { x: Number(c.getAttribute('cx')), y: Number(c.getAttribute('cy')) }])));
  for (const a of site.workers) {
    for (const b of site.workers) {
      if (a.lng < b.lng) assert.ok(drawn[a.workerId].x < drawn[b.workerId].x, `${a.workerId} is west of ${b.workerId}`);
      if (a.lat < b.lat) assert.ok(drawn[a.workerId].y > drawn[b.workerId].y, `${a.workerId} is south of ${b.workerId}`);
    }
  }
  // every dot is inside the visible plan
  const inside = await page.evaluate(() => {
    const svg = document.querySelector('#plan');
    const box = svg.getBoundingClientRect();
    return [...svg.querySelectorAll('circle.worker')].every((c) => {
      const r = c.getBoundingClientRect();
      return r.width > 0 && r.left >= box.left && r.right <= box.right && r.top >= box.top && r.bottom <= box.bottom;
    });
  });
  assert.ok(inside, 'every worker dot is drawn inside the site plan');
  for (const e of site.equipment) {
    const radius = page.locator(`#plan circle.radius[data-equipment-id="${e.equipmentId}"]`);
    await radius.waitFor({ state: 'attached', ...WAIT });
    assert.equal(Number(await radius.getAttribute('r')), e.safetyRadiusM);
    const danger = e.status === 'OPERATIONAL' && e.moving;
    assert.equal(await radius.getAttribute('data-danger'), String(danger), `${e.equipmentId} radius red iff operational and moving`);
  }
  if (site.headcount) {
    for (const h of site.headcount.filter((z) => z.zone !== '*')) {
      await page.waitForFunction(([zone, count]) => {
        const row = document.querySelector(`#headcount tr[data-zone="${zone}"] td`);
        return row && row.textContent === String(count);
      }, [h.zone, h.count], WAIT);
    }
  }
});

test('an EMERGENCY produced now is on the page within a second, unmistakable until acknowledged', { skip }, async (t) => {
  // Measured in the page's own clock: from the moment it calls the control server (which produces the alert
  // to Kafka) to the moment the banner holds that alert.
  const { alertId, elapsedMs } = await page.evaluate(async (controlUrl) => {
    const shown = new Map();
    let wanted = null;
    let arrived;
    const arrival = new Promise((resolve) => { arrived = resolve; });
    const observer = new MutationObserver(() => {
      if (document.querySelector('#emergency').hidden) return;
      for (const li of document.querySelectorAll('#emergency li[data-alert-id]')) {
        if (!shown.has(li.dataset.alertId)) shown.set(li.dataset.alertId, performance.now());
      }
      if (wanted !== null && shown.has(wanted)) arrived();
    });
    observer.observe(document.querySelector('#emergency'), { childList: true, subtree: true, attributes: true });
    const t0 = performance.now();
    const res = await fetch(`${controlUrl}/emit/emergency`, { method: 'POST' });
    const { alertId: id } = await res.json();
    wanted = id;
    if (!shown.has(id)) {
      await Promise.race([arrival, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    }
    observer.disconnect();
    return { alertId: id, elapsedMs: shown.has(id) ? shown.get(id) - t0 : null };
  }, control);
  assert.ok(elapsedMs !== null, `the emergency ${alertId} never reached the banner`);
  t.diagnostic(`emergency-to-DOM: ${elapsedMs.toFixed(1)} ms`);
  console.log(`EMERGENCY_TO_DOM_MS=${elapsedMs.toFixed(1)}`);
  assert.ok(elapsedMs < BUDGET_MS, `emergency took ${elapsedMs.toFixed(1)} ms to show (budget ${BUDGET_MS} ms)`);

  // unmistakable: a visible full-width banner with role=alert, a flashing border, the title, first in the feed
  const banner = page.locator('#emergency');
  assert.ok(await banner.isVisible());
  assert.equal(await banner.getAttribute('role'), 'alert');
  const width = await page.evaluate(() => document.querySelector('#emergency').getBoundingClientRect().width / window.innerWidth);
  assert.ok(width > 0.97, `banner spans the page (${width})`);
  assert.ok(await page.evaluate(() => document.body.classList.contains('emergency-active')
    && getComputedStyle(document.body).animationName === 'emergency-border'));
  assert.match(await page.title(), /^EMERGENCY/);
  const first = page.locator('#alerts li').first();
  assert.equal(await first.getAttribute('data-alert-id'), alertId);
  assert.equal(await page.locator('#alerts ol').getAttribute('aria-live'), 'polite');

  // acknowledged here: the banner goes, the alert stays in the feed
  await page.locator(`#emergency li[data-alert-id="${alertId}"] button.ack`).click();
  await banner.waitFor({ state: 'hidden', ...WAIT });
  assert.equal(await page.locator(`#alerts li[data-alert-id="${alertId}"]`).count(), 1);
});

test('alerts raised while the network is cut are shown exactly once after it comes back, with proof of the resume', { skip }, async () => {
  // Given the page is live, when the network between browser and gateway is cut
  await page.locator('#connection[data-state="live"]').waitFor(WAIT);
  const cutConnections = proxy.cut();
  assert.ok(cutConnections >= 1, 'the WebSocket went through the proxy');
  await page.locator('#connection[data-state="reconnecting"]').waitFor(WAIT);
  // and alerts are raised meanwhile (produced to Kafka and acknowledged by the broker before the answer)
  const { alertIds } = await emit('/emit/alerts?count=3');
  assert.equal(alertIds.length, 3);
  for (const id of alertIds) assert.equal(await page.locator(`#alerts li[data-alert-id="${id}"]`).count(), 0, 'not seen while cut');

  // when the network comes back
  proxy.restore();
  await page.locator('#resume-proof:not([hidden])').waitFor(WAIT);
  await page.locator('#connection[data-state="live"]').waitFor(WAIT);

  // then each missed alert is there exactly once, and the page says how many events the resume replayed
  for (const id of alertIds) {
    assert.equal(await page.locator(`#alerts li[data-alert-id="${id}"]`).count(), 1, `alert ${id} shown once`);
  }
  const proof = await page.locator('#resume-proof').textContent();
  assert.match(proof, /^Reconnected at \d\d:\d\d:\d\d, 3 missed events replayed$/);
  assert.equal(await page.locator('#resume-proof').getAttribute('data-replayed'), '3');
  assert.ok(proxy.stats().accepted >= 2, 'the page reconnected through the proxy');
});

test('a roll call, a cleared alert and the layout on a phone', { skip }, async () => {
  const evacuation = await emit('/emit/evacuation');
  await page.locator('#rollcall:not([hidden])').waitFor(WAIT);
  for (const w of evacuation.missing) await page.locator(`#rollcall ul.missing li[data-worker-id="${w}"]`).waitFor(WAIT);
  for (const w of evacuation.accounted) await page.locator(`#rollcall ul.accounted li[data-worker-id="${w}"]`).waitFor(WAIT);

  const { alertIds: [toClear] } = await emit('/emit/alerts?count=1');
  await page.locator(`#alerts li[data-alert-id="${toClear}"][data-state="RAISED"]`).waitFor(WAIT);
  await emit(`/emit/clear?alertId=${encodeURIComponent(toClear)}`);
  await page.locator(`#alerts li[data-alert-id="${toClear}"][data-state="CLEARED"]`).waitFor(WAIT);
  assert.equal(await page.locator(`#alerts li[data-alert-id="${toClear}"]`).count(), 1, 'a cleared alert replaces its raised form');
  assert.equal(await page.locator('#alerts li').last().getAttribute('data-state'), 'CLEARED', 'cleared alerts sink to the end');

  const { alertId } = await emit('/emit/emergency');
  await page.locator(`#emergency li[data-alert-id="${alertId}"]`).waitFor(WAIT);
  if (process.env.SCREENSHOT) {
    await mkdir(dirname(process.env.SCREENSHOT), { recursive: true });
    // let the plan's animation-frame redraw land before the picture
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true, animations: 'disabled' });
    console.log(`SCREENSHOT=${process.env.SCREENSHOT}`);
  }

  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling on a phone (overflow ${overflow}px)`);
  assert.ok(await page.locator('#emergency').isVisible());
  const order = await page.evaluate(() => ['#emergency', '#alerts', '#site'].map((s) => document.querySelector(s).getBoundingClientRect().top));
  assert.ok(order[0] < order[1] && order[1] < order[2], `on a phone: banner, then alerts, then the plan (${order})`);
});

test('without a token the page asks for one; a refused token is said so and forgotten', { skip }, async () => {
  const start = new URL(page.url());
  const token = new URL(process.env.DASHBOARD_URL || fake.url).searchParams.get('token');
  const project = new URL(process.env.DASHBOARD_URL || fake.url).searchParams.get('project');
  const other = await browser.newPage(); // a new tab: nothing in its session storage
  try {
    // Given no token, the login box
    await other.goto(`${start.origin}/?project=${project}`);
    await other.locator('#login').waitFor(WAIT);
    assert.equal(await other.locator('#login input[name="project"]').inputValue(), project);
    // When a token the gateway refuses is entered, the badge says so
    await other.locator('#login textarea[name="token"]').fill('not.a-valid.token');
    await other.locator('#login button[type="submit"]').click();
    await other.locator('#connection[data-state="unauthorized"]').waitFor(WAIT);
    assert.ok(await other.locator('#auth-problem').isVisible());
    // and it is forgotten: the link leads back to the login box, where a good token goes live
    await other.locator('#auth-problem a').click();
    await other.locator('#login').waitFor(WAIT);
    await other.locator('#login textarea[name="token"]').fill(token);
    await other.locator('#login input[name="project"]').fill(project);
    await other.locator('#login button[type="submit"]').click();
    await other.locator('#connection[data-state="live"]').waitFor(WAIT);
    assert.ok(!other.url().includes('token='), 'the token never went into the address bar');
  } finally {
    await other.close();
  }
});
