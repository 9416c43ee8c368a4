/**
 * A scripted stand-in for the gateway, for front-end work on the dashboard without Kafka: it serves the
 * static files and the SDK as the gateway does, speaks enough of protocol v1 (subscribe with from/resume,
 * snapshot, event, replayed with count, the flow-control window with acks), and offers the same control endpoints as DashboardBrowserIT's control
 * server, so the browser test runs against either. The real check is DashboardBrowserIT against the real
 * gateway; this fake only keeps front-end iterations fast.
 *
 *   node support/fake-gateway.mjs [--port 8090] [--control-port 8091] [--project demo]
 */
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { sampleSite, emergencyAlert, highAlert, clearOf, rollCall } from './site-data.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const STATIC = resolve(here, '../../../main/resources/static');
const SDK = resolve(here, '../../../../../sdk-js');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml' };

const ROOM_TYPES = {
  project: new Set(['alert', 'manual_broadcast']),
  management: new Set(['alert', 'manual_broadcast', 'worker_position', 'worker_state', 'equipment_status', 'zone_headcount', 'roll_call']),
};

/** Starts a fake gateway and its control server on loopback; resolves to {url, controlUrl, close()}. */
export async function startFakeGateway({ port = 0, controlPort = 0, project = 'demo' } = {}) {
  const log = []; // {seq, type, priority, eventTime, data}
  const state = { workers: new Map(), equipment: new Map(), headcount: new Map(), rollCall: null };
  const sockets = new Set();
  let alertSeq = 0;

  const publish = (type, priority, eventTime, data) => {
    const entry = { seq: log.length + 1, type, priority, eventTime, data };
    log.push(entry);
    if (type === 'worker_state') state.workers.set(data.workerId, data);
    if (type === 'equipment_status') state.equipment.set(data.equipmentId, data);
    if (type === 'zone_headcount') state.headcount.set(data.zone, data);
    if (type === 'roll_call') state.rollCall = data;
    for (const s of sockets) s.deliver(entry);
    return entry;
  };

  const http = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    let path = url.pathname === '/' ? '/index.html' : url.pathname;
    let file;
    if (path.startsWith('/sdk/')) {
      const name = path.slice(5);
      file = join(SDK, name.endsWith('.umd.js') ? 'dist' : 'src', normalize(name).replace(/^(\.\.[/\\])+/, ''));
    } else {
      file = join(STATIC, normalize(path).replace(/^(\.\.[/\\])+/, ''));
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });

  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (!req.url.startsWith('/v1/stream')) return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => connection(ws, new URL(req.url, 'http://x').searchParams.get('access_token')));
  });

  function connection(ws, token) {
    // flow control: once a window is granted, at most `window` frames sent and not acked; urgent events go regardless
    const flow = { window: 0, sent: 0, acked: 0, held: [] };
    const write = (frame) => {
      flow.sent += 1;
      ws.send(JSON.stringify(frame));
    };
    const room = () => flow.window === 0 || flow.sent - flow.acked < flow.window;
    const send = (frame) => {
      if (ws.readyState !== 1) return;
      const urgent = frame.op === 'event' && (frame.priority === 'EMERGENCY' || frame.priority === 'URGENT');
      if (urgent || (flow.held.length === 0 && room())) write(frame);
      else flow.held.push(frame);
    };
    if (!token || !token.startsWith('fake-')) {
      send({ op: 'error', id: null, code: 'unauthorized', message: 'bad token' });
      ws.close(4001, 'unauthorized');
      return;
    }
    const rooms = new Map(); // room -> kind ('project' | 'management')
    const conn = {
      deliver(entry) {
        for (const [room, kind] of rooms) {
          if (ROOM_TYPES[kind].has(entry.type) && entry.data.projectId === project) {
            send({ op: 'event', room, type: entry.type, priority: entry.priority, eventTime: entry.eventTime,
              pos: `f-${entry.seq}`, cursor: `c${entry.seq}`, data: entry.data });
          }
        }
      },
    };
    sockets.add(conn);
    ws.on('close', () => sockets.delete(conn));
    ws.on('message', (raw) => {
      let f;
      try { f = JSON.parse(String(raw)); } catch { return send({ op: 'error', id: null, code: 'bad_request', message: 'not JSON' }); }
      if (f.op === 'ping') return send({ op: 'pong', id: f.id, serverTime: Date.now() });
      if (f.op === 'flow') {
        if (!Number.isInteger(f.window) || f.window < 8 || f.window > 4096) {
          return send({ op: 'error', id: f.id ?? null, code: 'bad_request', message: 'window must be 8..4096' });
        }
        send({ op: 'flow', id: f.id, window: f.window });
        flow.window = f.window;
        return undefined;
      }
      if (f.op === 'ack') {
        if (!Number.isInteger(f.received) || f.received < flow.acked || f.received > flow.sent) {
          return send({ op: 'error', id: null, code: 'bad_request', message: `bad ack ${f.received}` });
        }
        flow.acked = f.received;
        while (flow.held.length > 0 && room() && ws.readyState === 1) write(flow.held.shift());
        return undefined;
      }
      if (f.op === 'unsubscribe') {
        for (const r of f.rooms) rooms.delete(r);
        return send({ op: 'unsubscribed', id: f.id, rooms: f.rooms });
      }
      if (f.op !== 'subscribe') return send({ op: 'error', id: f.id ?? null, code: 'bad_request', message: 'unknown op' });
      const kinds = new Map();
      for (const r of f.rooms) {
        const m = /^(management:)?project:([A-Za-z0-9._-]+)$/.exec(r);
        if (!m) return send({ op: 'error', id: f.id, code: 'unknown_room', message: `not a room the fake knows: ${r}` });
        if (m[2] !== project) return send({ op: 'error', id: f.id, code: 'forbidden', message: `not a member of ${m[2]}` });
        if (m[1] && token.includes('worker')) return send({ op: 'error', id: f.id, code: 'forbidden', message: 'management needs manager' });
        kinds.set(r, m[1] ? 'management' : 'project');
      }
      const head = log.length;
      send({ op: 'subscribed', id: f.id, rooms: f.rooms, cursor: `c${head}` });
      for (const r of f.rooms) {
        send({ op: 'snapshot', room: r, asOf: Date.now(), workers: [...state.workers.values()], headcount: [...state.headcount.values()],
          equipment: [...state.equipment.values()], rollCall: state.rollCall });
      }
      const history = f.resume !== undefined ? log.slice(Number(String(f.resume).slice(1)), head)
        : typeof f.from === 'number' ? log.slice(0, head).filter((e) => e.eventTime >= f.from)
          : f.from === 'earliest' ? log.slice(0, head) : null;
      for (const [r, k] of kinds) rooms.set(r, k);
      if (history) {
        let count = 0;
        for (const e of history) {
          for (const [r, k] of kinds) {
            if (ROOM_TYPES[k].has(e.type) && e.data.projectId === project) {
              send({ op: 'event', room: r, type: e.type, priority: e.priority, eventTime: e.eventTime, pos: `f-${e.seq}`,
                cursor: `c${e.seq}`, data: e.data });
              count += 1;
            }
          }
        }
        send({ op: 'replayed', id: f.id, rooms: f.rooms, cursor: `c${head}`, count });
      }
    });
  }

  const control = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const reply = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return reply(405, { error: 'POST only' });
    const now = Date.now();
    switch (url.pathname) {
      case '/emit/positions': {
        const site = sampleSite(project, now);
        for (const s of site.states) publish('worker_state', 'NORMAL', s.lastSeen, s);
        for (const p of site.positions) publish('worker_position', 'NORMAL', p.eventTime, p);
        for (const e of site.equipment) publish('equipment_status', 'NORMAL', e.eventTime, e);
        for (const h of site.headcount) publish('zone_headcount', 'NORMAL', h.updatedAt, h);
        return reply(200, { workers: site.positions, equipment: site.equipment, headcount: site.headcount });
      }
      case '/emit/emergency': {
        const a = emergencyAlert(project, `fake-${++alertSeq}`, now);
        publish('alert', a.priority, a.raisedAt, a);
        return reply(200, { alertId: a.alertId });
      }
      case '/emit/alerts': {
        const n = Number(url.searchParams.get('count') || '1');
        const ids = [];
        for (let i = 0; i < n; i += 1) {
          const a = highAlert(project, `fake-${++alertSeq}`, now + i);
          publish('alert', a.priority, a.raisedAt, a);
          ids.push(a.alertId);
        }
        return reply(200, { alertIds: ids });
      }
      case '/emit/clear': {
        const id = url.searchParams.get('alertId');
        const raised = [...log].reverse().find((e) => e.type === 'alert' && e.data.alertId === id);
        if (!raised) return reply(404, { error: `no alert ${id}` });
        const c = clearOf(raised.data, now);
        publish('alert', c.priority, c.raisedAt, c);
        return reply(200, { alertId: id });
      }
      case '/emit/evacuation': {
        const r = rollCall(project, now);
        publish('roll_call', 'URGENT', r.updatedAt, r);
        return reply(200, { evacuationId: r.evacuationId, missing: r.missing, accounted: r.accounted });
      }
      default:
        return reply(404, { error: `no ${url.pathname}` });
    }
  });

  await new Promise((ok) => http.listen(port, '127.0.0.1', ok));
  await new Promise((ok) => control.listen(controlPort, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${http.address().port}/?token=fake-manager&project=${project}`,
    controlUrl: `http://127.0.0.1:${control.address().port}`,
    async close() {
      for (const c of wss.clients) c.terminate();
      await Promise.all([new Promise((ok) => http.close(ok)), new Promise((ok) => control.close(ok))]);
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, dflt) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : dflt;
  };
  const g = await startFakeGateway({ port: Number(arg('--port', 8090)), controlPort: Number(arg('--control-port', 8091)), project: arg('--project', 'demo') });
  console.log(`dashboard: ${g.url}\ncontrol:   ${g.controlUrl}  (POST /emit/positions, /emit/emergency, /emit/alerts?count=N, /emit/clear?alertId=, /emit/evacuation)`);
}
