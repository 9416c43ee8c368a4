/** The dashboard's state model without a browser: ordering, episodes, out-of-order frames, rooms. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SiteModel } from '../../../main/resources/static/dashboard/model.js';
import { LocalProjection, boundsOf } from '../../../main/resources/static/dashboard/projection.js';
import { readClaims, roomsFor } from '../../../main/resources/static/dashboard/token.js';

const alert = (id, priority, state, raisedAt) => ({
  type: 'alert', data: { alertId: id, type: 'GAS_CEILING', priority, state, projectId: 'p', rule: 'r', message: id, sourceTime: raisedAt, raisedAt },
});

test('the feed lists raised alerts by priority then newest, cleared ones after them', () => {
  // Given alerts of every priority, arriving in a shuffled order, one of them cleared
  const m = new SiteModel();
  const frames = [alert('low', 'LOW', 'RAISED', 5), alert('em-old', 'EMERGENCY', 'RAISED', 1), alert('high', 'HIGH', 'RAISED', 9),
    alert('em-new', 'EMERGENCY', 'RAISED', 3), alert('urgent', 'URGENT', 'RAISED', 2), alert('gone', 'EMERGENCY', 'RAISED', 4),
    alert('gone', 'EMERGENCY', 'CLEARED', 8)];
  for (const f of frames) m.applyEvent(f);
  // Then
  assert.deepEqual(m.sortedFeed().map((i) => i.id), ['em-new', 'em-old', 'urgent', 'high', 'low', 'gone']);
  assert.equal(m.feed.get('alert:gone').clearedAt, 8);
  assert.equal(m.feed.get('alert:gone').raisedAt, 4);
});

test('a replayed RAISED never resurrects a cleared episode, and duplicates change nothing', () => {
  const m = new SiteModel();
  assert.equal(m.applyEvent(alert('a', 'HIGH', 'RAISED', 10)), true);
  assert.equal(m.applyEvent(alert('a', 'HIGH', 'RAISED', 10)), false);
  assert.equal(m.applyEvent(alert('a', 'HIGH', 'CLEARED', 20)), true);
  assert.equal(m.applyEvent(alert('a', 'HIGH', 'RAISED', 10)), false);
  assert.equal(m.feed.get('alert:a').state, 'CLEARED');
  assert.equal(m.feed.size, 1);
});

test('an EMERGENCY stays unacknowledged until acknowledged, even once cleared', () => {
  const m = new SiteModel();
  m.applyEvent(alert('e1', 'EMERGENCY', 'RAISED', 1));
  m.applyEvent(alert('e1', 'EMERGENCY', 'CLEARED', 2));
  m.applyEvent(alert('h1', 'HIGH', 'RAISED', 3));
  assert.deepEqual(m.unacknowledgedEmergencies().map((i) => i.id), ['e1']);
  m.acknowledge('e1');
  assert.deepEqual(m.unacknowledgedEmergencies(), []);
});

test('older positions, states and headcounts arriving late do not move anything back', () => {
  const m = new SiteModel();
  const pos = (lat, t) => ({ type: 'worker_position', data: { projectId: 'p', workerId: 'w1', lat, lng: 13, zone: 'z', eventTime: t } });
  m.applyEvent(pos(52.2, 200));
  assert.equal(m.applyEvent(pos(52.1, 100)), false);
  assert.equal(m.workers.get('w1').lat, 52.2);
  m.applySnapshot({ workers: [{ projectId: 'p', workerId: 'w1', checkedIn: true, status: 'BREAK', zone: 'z', trade: 't', lat: 52.0, lng: 13, lastSeen: 150 }],
    headcount: [{ projectId: 'p', zone: 'z', count: 4, updatedAt: 50 }, { projectId: 'p', zone: '*', count: 9, updatedAt: 50 }], equipment: [], rollCall: null });
  assert.equal(m.workers.get('w1').status, 'BREAK', 'state applies');
  assert.equal(m.workers.get('w1').lat, 52.2, 'but its older fix does not move the dot back');
  m.applyEvent({ type: 'zone_headcount', data: { projectId: 'p', zone: 'z', count: 3, updatedAt: 40 } });
  assert.equal(m.headcount.get('z').count, 4);
  assert.equal(m.totalHeadcount(), 9);
  assert.deepEqual(m.zoneHeadcounts().map((h) => h.zone), ['z']);
});

test('the projection puts east right and north up, in metres, and bounds hold every radius', () => {
  const p = new LocalProjection(52.52, 13.405);
  const east = p.toMetres(52.52, 13.405 + 0.001);
  const north = p.toMetres(52.52 + 0.001, 13.405);
  assert.ok(Math.abs(east.x - 67.8) < 0.5, `0.001° of longitude at 52.5°N is ~67.8 m, got ${east.x}`);
  assert.ok(Math.abs(north.y - 111.1) < 0.5, `0.001° of latitude is ~111 m, got ${north.y}`);
  const b = boundsOf(p, [{ lat: 52.52, lng: 13.405, r: 25 }, { lat: 52.5205, lng: 13.406 }], 10, 60);
  assert.ok(b.x0 <= -35 && b.y0 <= -35 && b.x1 >= east.x && b.y1 >= north.y / 2);
});

test('rooms: management for managers and safety officers, the project room for others, management first when unreadable', () => {
  assert.deepEqual(roomsFor('p1', ['manager']), { first: 'management:project:p1', fallback: 'project:p1' });
  assert.deepEqual(roomsFor('p1', ['safety_officer', 'worker']), { first: 'management:project:p1', fallback: 'project:p1' });
  assert.deepEqual(roomsFor('p1', ['supervisor']), { first: 'project:p1', fallback: null });
  assert.deepEqual(roomsFor('p1', null), { first: 'management:project:p1', fallback: 'project:p1' });
  const claims = { sub: 'ana', projects: ['p1'], roles: ['manager'], exp: 2_000_000_000 };
  const jwt = `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  assert.deepEqual(readClaims(jwt), claims);
  assert.equal(readClaims('not-a-jwt'), null);
  assert.equal(readClaims('a.!!!.c'), null);
});
