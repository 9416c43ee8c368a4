/**
 * The site plan: an SVG in metres (north up) of zones, workers, equipment with their safety radius, and
 * located alerts. Elements are kept per worker / machine and moved, not rebuilt, so a site of a few hundred
 * workers redraws cheaply on every animation frame that has changes.
 */
import { LocalProjection, boundsOf } from './projection.js';

const SVG = 'http://www.w3.org/2000/svg';

/** Trade colours (a worker's dot), chosen to stay apart from the red of danger and the grey of idle. */
const TRADE_COLOURS = ['#1f77b4', '#2ca02c', '#9467bd', '#8c564b', '#17becf', '#bcbd22', '#e377c2', '#0b5394'];

export function tradeColour(trade) {
  if (!trade) return '#1f77b4';
  let h = 0;
  for (let i = 0; i < trade.length; i += 1) h = (h * 31 + trade.charCodeAt(i)) >>> 0;
  return TRADE_COLOURS[h % TRADE_COLOURS.length];
}

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

function setTitle(node, text) {
  let t = node.querySelector(':scope > title');
  if (!t) t = el('title', {}, node);
  if (t.textContent !== text) t.textContent = text;
}

export class SitePlan {
  /** @param {SVGSVGElement} svg @param {import('./model.js').SiteModel} model */
  constructor(svg, model) {
    this.svg = svg;
    this.model = model;
    this.projection = null;
    this.zoneLayer = el('g', { class: 'zones' }, svg);
    this.radiusLayer = el('g', { class: 'radii' }, svg);
    this.alertLayer = el('g', { class: 'alert-marks' }, svg);
    this.equipmentLayer = el('g', { class: 'equipment' }, svg);
    this.workerLayer = el('g', { class: 'workers' }, svg);
    this.workerNodes = new Map();
    this.equipmentNodes = new Map();
  }

  /** Redraws from the model. */
  render() {
    const points = this.model.points();
    if (!this.projection && points.length > 0) this.projection = new LocalProjection(points[0].lat, points[0].lng);
    if (!this.projection) {
      this.svg.setAttribute('viewBox', '-30 -30 60 60');
      this.svg.dataset.empty = 'true';
      return;
    }
    delete this.svg.dataset.empty;
    const b = boundsOf(this.projection, points);
    const span = Math.max(b.x1 - b.x0, b.y1 - b.y0);
    // SVG y grows downwards: draw north up by negating northing.
    this.svg.setAttribute('viewBox', `${b.x0.toFixed(2)} ${(-b.y1).toFixed(2)} ${(b.x1 - b.x0).toFixed(2)} ${(b.y1 - b.y0).toFixed(2)}`);
    this.svg.style.setProperty('--label-size', `${(span / 45).toFixed(2)}px`);
    this.dot = Math.max(1.2, span / 110);
    this.renderZones();
    this.renderEquipment();
    this.renderWorkers();
    this.renderAlertMarks();
  }

  xy(lat, lng) {
    const { x, y } = this.projection.toMetres(lat, lng);
    return { x, y: -y };
  }

  renderZones() {
    this.zoneLayer.replaceChildren();
    const pad = this.dot * 3;
    for (const [zone, box] of this.model.zoneBoxes()) {
      const a = this.xy(box.lat1, box.lng0);
      const c = this.xy(box.lat0, box.lng1);
      const g = el('g', { class: 'zone', 'data-zone': zone }, this.zoneLayer);
      el('rect', {
        x: (a.x - pad).toFixed(2), y: (a.y - pad).toFixed(2),
        width: (c.x - a.x + 2 * pad).toFixed(2), height: (c.y - a.y + 2 * pad).toFixed(2),
        rx: (pad / 2).toFixed(2), 'vector-effect': 'non-scaling-stroke',
      }, g);
      const count = this.model.headcount.get(zone);
      const label = el('text', { x: (a.x - pad + this.dot).toFixed(2), y: (a.y - pad - this.dot / 2).toFixed(2) }, g);
      label.textContent = count ? `${zone} (${count.count})` : zone;
    }
  }

  renderEquipment() {
    const seen = new Set();
    for (const e of this.model.equipment.values()) {
      if (typeof e.lat !== 'number' || typeof e.lng !== 'number') continue;
      seen.add(e.equipmentId);
      let n = this.equipmentNodes.get(e.equipmentId);
      if (!n) {
        const radius = el('circle', { class: 'radius', 'vector-effect': 'non-scaling-stroke' }, this.radiusLayer);
        const g = el('g', { class: 'machine' }, this.equipmentLayer);
        const body = el('rect', { class: 'machine-body', 'vector-effect': 'non-scaling-stroke' }, g);
        const label = el('text', { class: 'machine-label' }, g);
        n = { radius, g, body, label };
        this.equipmentNodes.set(e.equipmentId, n);
      }
      const { x, y } = this.xy(e.lat, e.lng);
      const danger = e.status === 'OPERATIONAL' && e.moving === true;
      const armed = e.status === 'OPERATIONAL' && !danger;
      const radiusClass = danger ? 'radius danger' : armed ? 'radius armed' : 'radius idle';
      n.radius.setAttribute('class', radiusClass);
      n.radius.setAttribute('cx', x.toFixed(2));
      n.radius.setAttribute('cy', y.toFixed(2));
      n.radius.setAttribute('r', String(Math.max(0, Number(e.safetyRadiusM) || 0)));
      n.radius.dataset.equipmentId = e.equipmentId;
      n.radius.dataset.danger = String(danger);
      const s = this.dot * 2.2;
      n.body.setAttribute('x', (x - s / 2).toFixed(2));
      n.body.setAttribute('y', (y - s / 2).toFixed(2));
      n.body.setAttribute('width', s.toFixed(2));
      n.body.setAttribute('height', s.toFixed(2));
      n.g.setAttribute('class', danger ? 'machine danger' : 'machine');
      n.g.dataset.equipmentId = e.equipmentId;
      n.label.setAttribute('x', (x + s).toFixed(2));
      n.label.setAttribute('y', (y + s / 2).toFixed(2));
      n.label.textContent = e.equipmentId;
      const state = `${e.type} ${e.equipmentId}: ${e.status}${e.moving ? ', moving' : ''}, safety radius ${e.safetyRadiusM} m`;
      setTitle(n.g, state);
    }
    for (const [id, n] of this.equipmentNodes) {
      if (!seen.has(id)) {
        n.radius.remove();
        n.g.remove();
        this.equipmentNodes.delete(id);
      }
    }
  }

  renderWorkers() {
    const missing = new Set(this.model.rollCall && this.model.rollCall.active ? this.model.rollCall.missing || [] : []);
    const seen = new Set();
    for (const w of this.model.placedWorkers()) {
      if (w.status === 'OFFSITE' || w.checkedIn === false) continue;
      seen.add(w.workerId);
      let c = this.workerNodes.get(w.workerId);
      if (!c) {
        c = el('circle', { 'vector-effect': 'non-scaling-stroke' }, this.workerLayer);
        c.dataset.workerId = w.workerId;
        this.workerNodes.set(w.workerId, c);
      }
      const { x, y } = this.xy(w.lat, w.lng);
      c.setAttribute('cx', x.toFixed(2));
      c.setAttribute('cy', y.toFixed(2));
      c.setAttribute('r', this.dot.toFixed(2));
      const cls = ['worker'];
      if (w.status === 'EMERGENCY') cls.push('emergency');
      else if (w.status === 'BREAK') cls.push('break');
      if (missing.has(w.workerId)) cls.push('missing');
      c.setAttribute('class', cls.join(' '));
      c.style.fill = w.status === 'EMERGENCY' || w.status === 'BREAK' ? '' : tradeColour(w.trade);
      c.dataset.lat = String(w.lat);
      c.dataset.lng = String(w.lng);
      c.dataset.status = w.status || '';
      setTitle(c, `${w.workerId}${w.trade ? ` (${w.trade})` : ''}${w.zone ? ` in ${w.zone}` : ''}${w.status ? `: ${w.status}` : ''}`
        + `${missing.has(w.workerId) ? ', MISSING in roll call' : ''}`);
    }
    for (const [id, c] of this.workerNodes) {
      if (!seen.has(id)) {
        c.remove();
        this.workerNodes.delete(id);
      }
    }
  }

  renderAlertMarks() {
    this.alertLayer.replaceChildren();
    const s = this.dot * 2.5;
    for (const item of this.model.feed.values()) {
      const d = item.data;
      if (item.kind !== 'alert' || item.state !== 'RAISED' || typeof d.lat !== 'number' || typeof d.lng !== 'number') continue;
      const { x, y } = this.xy(d.lat, d.lng);
      const mark = el('path', {
        class: `alert-mark ${item.priority.toLowerCase()}`,
        d: `M ${x.toFixed(2)} ${(y - s).toFixed(2)} L ${(x + s).toFixed(2)} ${(y + s * 0.8).toFixed(2)} L ${(x - s).toFixed(2)} ${(y + s * 0.8).toFixed(2)} Z`,
        'vector-effect': 'non-scaling-stroke',
      }, this.alertLayer);
      mark.dataset.alertId = item.id;
      setTitle(mark, `${item.priority} ${d.type}: ${d.message}`);
    }
  }
}
