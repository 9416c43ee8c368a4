/**
 * The dashboard's state, without any DOM: what the site looks like now, built from the gateway's snapshot
 * frames and event frames. Views read it; tests drive it directly.
 *
 * Frames can arrive out of time order (history replayed after a snapshot, an EMERGENCY overtaking older
 * traffic, different topics), so every per-thing update is applied only when it is not older than what is
 * already known.
 */

/** Priorities, most urgent first (io.sitewire.events.Priority). */
export const PRIORITIES = Object.freeze(['EMERGENCY', 'URGENT', 'HIGH', 'NORMAL', 'LOW']);

/** The zone name ZoneHeadcount uses for the project total. */
export const TOTAL_ZONE = '*';

const rank = (priority) => {
  const i = PRIORITIES.indexOf(priority);
  return i < 0 ? PRIORITIES.length : i;
};

const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export class SiteModel {
  constructor() {
    /** @type {Map<string, object>} workerId -> {workerId, lat, lng, posTime, zone, trade, status, checkedIn, stateTime} */
    this.workers = new Map();
    /** @type {Map<string, object>} equipmentId -> equipment_status JSON form */
    this.equipment = new Map();
    /** @type {Map<string, object>} zone -> zone_headcount JSON form ('*' is the project total) */
    this.headcount = new Map();
    /** @type {object|null} the latest roll_call JSON form */
    this.rollCall = null;
    /** @type {Map<string, object>} feed key -> feed item (alerts by alertId, broadcasts by broadcastId) */
    this.feed = new Map();
    /** @type {Set<string>} alertIds of EMERGENCY alerts acknowledged on this page */
    this.acknowledged = new Set();
    /** @type {object[]} gap frames: history the gateway could not replay */
    this.gaps = [];
  }

  /** A snapshot frame: the current workers / headcount / equipment / roll call of the project. */
  applySnapshot(frame) {
    for (const w of frame.workers || []) this.applyWorkerState(w);
    for (const h of frame.headcount || []) this.applyHeadcount(h);
    for (const e of frame.equipment || []) this.applyEquipment(e);
    if (frame.rollCall) this.applyRollCall(frame.rollCall);
  }

  /**
   * An event frame ({type, data, priority, eventTime, ...}).
   * @returns {boolean} whether the model changed in a way the views show
   */
  applyEvent(frame, receivedAt = Date.now()) {
    const d = frame.data || {};
    switch (frame.type) {
      case 'worker_position': return this.applyPosition(d);
      case 'worker_state': return this.applyWorkerState(d);
      case 'equipment_status': return this.applyEquipment(d);
      case 'zone_headcount': return this.applyHeadcount(d);
      case 'roll_call': return this.applyRollCall(d);
      case 'alert': return this.applyAlert(d, receivedAt);
      case 'manual_broadcast': return this.applyBroadcast(d, receivedAt);
      default: return false;
    }
  }

  worker(id) {
    let w = this.workers.get(id);
    if (!w) {
      w = { workerId: id, lat: null, lng: null, posTime: -Infinity, zone: null, trade: null, status: null,
        checkedIn: null, stateTime: -Infinity };
      this.workers.set(id, w);
    }
    return w;
  }

  applyPosition(p) {
    if (!p.workerId || num(p.lat) === null || num(p.lng) === null) return false;
    const w = this.worker(p.workerId);
    if (p.eventTime < w.posTime) return false;
    w.lat = p.lat;
    w.lng = p.lng;
    w.posTime = p.eventTime;
    if (p.zone) w.zone = p.zone;
    return true;
  }

  applyWorkerState(s) {
    if (!s.workerId) return false;
    const w = this.worker(s.workerId);
    if (s.lastSeen < w.stateTime) return false;
    w.stateTime = s.lastSeen;
    w.status = s.status ?? w.status;
    w.checkedIn = s.checkedIn ?? w.checkedIn;
    w.trade = s.trade ?? w.trade;
    w.zone = s.zone ?? w.zone;
    if (num(s.lat) !== null && num(s.lng) !== null && s.lastSeen >= w.posTime) {
      w.lat = s.lat;
      w.lng = s.lng;
      w.posTime = s.lastSeen;
    }
    return true;
  }

  applyEquipment(e) {
    if (!e.equipmentId) return false;
    const known = this.equipment.get(e.equipmentId);
    if (known && e.eventTime < known.eventTime) return false;
    this.equipment.set(e.equipmentId, { ...e });
    return true;
  }

  applyHeadcount(h) {
    if (!h.zone) return false;
    const known = this.headcount.get(h.zone);
    if (known && h.updatedAt < known.updatedAt) return false;
    this.headcount.set(h.zone, { ...h });
    return true;
  }

  applyRollCall(r) {
    if (this.rollCall && this.rollCall.evacuationId === r.evacuationId && r.updatedAt < this.rollCall.updatedAt) {
      return false;
    }
    this.rollCall = { ...r };
    return true;
  }

  /**
   * An alert: one feed item per alertId (an episode). A later record of the same episode replaces the earlier
   * one; on equal times CLEARED wins, so a replayed RAISED never resurrects a cleared alert.
   */
  applyAlert(a, receivedAt) {
    if (!a.alertId) return false;
    const key = `alert:${a.alertId}`;
    const known = this.feed.get(key);
    const at = a.raisedAt ?? 0;
    if (known) {
      if (at < known.at) return false;
      if (at === known.at && (known.state === 'CLEARED' || known.state === a.state)) return false;
    }
    this.feed.set(key, {
      key,
      kind: 'alert',
      id: a.alertId,
      priority: a.priority,
      state: a.state,
      at,
      firstSeen: known ? known.firstSeen : receivedAt,
      raisedAt: known && known.state === 'RAISED' ? known.raisedAt : at,
      clearedAt: a.state === 'CLEARED' ? at : null,
      data: { ...a },
    });
    return true;
  }

  applyBroadcast(b, receivedAt) {
    if (!b.broadcastId) return false;
    const key = `broadcast:${b.broadcastId}`;
    if (this.feed.has(key)) return false;
    this.feed.set(key, {
      key,
      kind: 'broadcast',
      id: b.broadcastId,
      priority: b.priority,
      state: 'RAISED',
      at: b.eventTime ?? receivedAt,
      firstSeen: receivedAt,
      raisedAt: b.eventTime ?? receivedAt,
      clearedAt: null,
      data: { ...b },
    });
    return true;
  }

  applyGap(gap) {
    this.gaps.push(gap);
  }

  /** Marks an EMERGENCY alert as acknowledged by the person at this page (local only: no server call). */
  acknowledge(alertId) {
    this.acknowledged.add(alertId);
  }

  /**
   * The feed, as shown: items still raised first, by priority (EMERGENCY first), then newest first; cleared
   * items after them, newest clearance first.
   */
  sortedFeed() {
    return [...this.feed.values()].sort((x, y) => {
      const cx = x.state === 'CLEARED' ? 1 : 0;
      const cy = y.state === 'CLEARED' ? 1 : 0;
      if (cx !== cy) return cx - cy;
      if (cx === 0 && rank(x.priority) !== rank(y.priority)) return rank(x.priority) - rank(y.priority);
      if (x.at !== y.at) return y.at - x.at;
      return x.key < y.key ? -1 : x.key > y.key ? 1 : 0;
    });
  }

  /** EMERGENCY alerts that nobody at this page has acknowledged yet (raised or already cleared), newest first. */
  unacknowledgedEmergencies() {
    return [...this.feed.values()]
      .filter((i) => i.kind === 'alert' && i.priority === 'EMERGENCY' && !this.acknowledged.has(i.id))
      .sort((x, y) => y.raisedAt - x.raisedAt);
  }

  /** Headcount per zone, biggest first, without the project total. */
  zoneHeadcounts() {
    return [...this.headcount.values()]
      .filter((h) => h.zone !== TOTAL_ZONE)
      .sort((x, y) => y.count - x.count || (x.zone < y.zone ? -1 : 1));
  }

  /** The project total: the '*' record when there is one, else the sum of the zones. */
  totalHeadcount() {
    const total = this.headcount.get(TOTAL_ZONE);
    if (total) return total.count;
    let sum = 0;
    for (const h of this.zoneHeadcounts()) sum += h.count;
    return sum;
  }

  /** Workers with a known position. */
  placedWorkers() {
    return [...this.workers.values()].filter((w) => w.lat !== null && w.lng !== null);
  }

  /** Every point the site plan must show: workers, equipment (with their radii), alerts with a location. */
  points() {
    const pts = [];
    for (const w of this.placedWorkers()) pts.push({ lat: w.lat, lng: w.lng, r: 0 });
    for (const e of this.equipment.values()) {
      if (num(e.lat) !== null && num(e.lng) !== null) pts.push({ lat: e.lat, lng: e.lng, r: num(e.safetyRadiusM) || 0 });
    }
    for (const i of this.feed.values()) {
      if (i.kind === 'alert' && i.state === 'RAISED' && num(i.data.lat) !== null && num(i.data.lng) !== null) {
        pts.push({ lat: i.data.lat, lng: i.data.lng, r: 0 });
      }
    }
    return pts;
  }

  /**
   * Zones as rectangles: the site has no zone geometry of its own, so a zone is drawn as the bounding box of
   * the workers last seen in it.
   * @returns {Map<string, {lat0:number,lat1:number,lng0:number,lng1:number,workers:number}>}
   */
  zoneBoxes() {
    const boxes = new Map();
    for (const w of this.placedWorkers()) {
      if (!w.zone) continue;
      const b = boxes.get(w.zone);
      if (!b) {
        boxes.set(w.zone, { lat0: w.lat, lat1: w.lat, lng0: w.lng, lng1: w.lng, workers: 1 });
      } else {
        b.lat0 = Math.min(b.lat0, w.lat);
        b.lat1 = Math.max(b.lat1, w.lat);
        b.lng0 = Math.min(b.lng0, w.lng);
        b.lng1 = Math.max(b.lng1, w.lng);
        b.workers += 1;
      }
    }
    return boxes;
  }
}
