/**
 * The dashboard's panels other than the site plan: the EMERGENCY banner, the alert feed, headcount, roll call,
 * the connection badge and the resume proof. Text goes in through textContent only (records are data, never
 * markup).
 */

const pad2 = (n) => String(n).padStart(2, '0');

/** HH:MM:SS in the viewer's local time. */
export function clockTime(ms) {
  const d = new Date(ms);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-') || k.startsWith('aria-') || k === 'role' || k === 'type' || k === 'datetime') node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** One line of what an alert is about: where, who, which machine, the measured value against its limit. */
export function alertDetail(d) {
  const parts = [];
  if (d.zone) parts.push(`zone ${d.zone}`);
  if (d.workerId) parts.push(`worker ${d.workerId}`);
  if (d.equipmentId) parts.push(`equipment ${d.equipmentId}`);
  if (d.metric && typeof d.value === 'number') {
    parts.push(`${d.metric} ${d.value}${typeof d.limit === 'number' ? ` (limit ${d.limit})` : ''}`);
  }
  if (d.limitSource) parts.push(d.limitSource);
  return parts.join(' · ');
}

/** The EMERGENCY banner: every EMERGENCY not yet acknowledged here, each with its own Acknowledge button. */
export function renderBanner(root, model, onAcknowledge) {
  const items = model.unacknowledgedEmergencies();
  document.body.classList.toggle('emergency-active', items.length > 0);
  root.hidden = items.length === 0;
  const list = root.querySelector('ul');
  const rows = items.map((i) => {
    const d = i.data;
    const cleared = i.state === 'CLEARED';
    const ack = h('button', { type: 'button', class: 'ack' }, 'Acknowledge');
    ack.addEventListener('click', () => onAcknowledge(i.id));
    return h('li', { 'data-alert-id': i.id, 'data-state': i.state },
      h('strong', {}, cleared ? `EMERGENCY (cleared ${clockTime(i.clearedAt)}): ` : 'EMERGENCY: '),
      d.message || d.type, ' ',
      h('span', { class: 'detail' }, alertDetail(d)), ' ',
      h('time', { datetime: new Date(i.raisedAt).toISOString() }, clockTime(i.raisedAt)), ' ',
      ack);
  });
  list.replaceChildren(...rows);
}

/** The feed: raised first by priority then newest; cleared after, struck through. */
export function renderFeed(root, model) {
  const items = model.sortedFeed();
  const rows = items.map((i) => {
    const d = i.data;
    const cleared = i.state === 'CLEARED';
    const what = i.kind === 'alert' ? d.type : `BROADCAST ${d.kind}`;
    const text = i.kind === 'alert' ? d.message : d.message;
    return h('li', {
      class: `feed-item p-${String(i.priority).toLowerCase()}${cleared ? ' cleared' : ''}`,
      'data-alert-id': i.kind === 'alert' ? i.id : null,
      'data-broadcast-id': i.kind === 'broadcast' ? i.id : null,
      'data-priority': i.priority,
      'data-state': i.state,
    },
    h('span', { class: 'prio' }, i.priority),
    h('span', { class: 'what' }, what),
    h('span', { class: 'msg' }, text || ''),
    h('span', { class: 'detail' }, i.kind === 'alert' ? alertDetail(d) : (d.target ? `${d.targetScope} ${d.target}` : d.targetScope || '')),
    h('time', { datetime: new Date(i.at).toISOString() },
      cleared ? `cleared ${clockTime(i.clearedAt)} (raised ${clockTime(i.raisedAt)})` : clockTime(i.at)));
  });
  root.querySelector('ol').replaceChildren(...rows);
  const open = items.filter((i) => i.state !== 'CLEARED').length;
  root.querySelector('.count').textContent = `${open} open, ${items.length - open} cleared`;
  root.querySelector('.empty').hidden = items.length > 0;
}

export function renderHeadcount(root, model) {
  const zones = model.zoneHeadcounts();
  const rows = zones.map((z) => h('tr', { 'data-zone': z.zone }, h('th', { scope: 'row' }, z.zone), h('td', {}, String(z.count))));
  root.querySelector('tbody').replaceChildren(...rows);
  root.querySelector('.total').textContent = String(model.totalHeadcount());
  root.querySelector('.empty').hidden = zones.length > 0 || model.headcount.size > 0;
}

/** The roll-call panel is shown while an evacuation is active (and keeps its last result once it ends). */
export function renderRollCall(root, model) {
  const r = model.rollCall;
  root.hidden = !r;
  if (!r) return;
  root.classList.toggle('active', r.active === true);
  root.querySelector('.status').textContent = r.active
    ? `Evacuation ${r.evacuationId} in progress since ${clockTime(r.startedAt)} — muster at ${(r.musterZones || []).join(', ') || '?'}`
    : `Evacuation ${r.evacuationId} ended (last update ${clockTime(r.updatedAt)})`;
  const missing = [...(r.missing || [])].sort();
  const accounted = [...(r.accounted || [])].sort();
  root.querySelector('.missing-count').textContent = String(missing.length);
  root.querySelector('.accounted-count').textContent = String(accounted.length);
  root.querySelector('ul.missing').replaceChildren(...missing.map((w) => h('li', { 'data-worker-id': w }, w)));
  root.querySelector('ul.accounted').replaceChildren(...accounted.map((w) => h('li', { 'data-worker-id': w }, w)));
}

const STATE_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting',
  resuming: 'Resuming: catching up on missed events',
  unauthorized: 'Not authorised',
  closed: 'Disconnected',
};

export function renderConnection(root, state, info = {}) {
  root.dataset.state = state;
  let text = STATE_TEXT[state] || state;
  if (state === 'reconnecting' && typeof info.delayMs === 'number') {
    text += ` (attempt ${info.attempt + 1}, in ${(info.delayMs / 1000).toFixed(1)} s)`;
  }
  if (state === 'unauthorized' && info.reason) text += `: ${info.reason}`;
  root.textContent = text;
}

/** The proof that a resume really happened: when, and how many missed events the gateway replayed. */
export function renderResumeProof(root, info, at) {
  const n = info.replayedCount;
  let text = `Reconnected at ${clockTime(at)}, ${n} missed event${n === 1 ? '' : 's'} replayed`;
  if (info.duplicates > 0) text += `, ${info.duplicates} duplicate${info.duplicates === 1 ? '' : 's'} dropped`;
  if (info.gaps > 0) text += `, ${info.gaps} gap${info.gaps === 1 ? '' : 's'} (history past retention)`;
  root.textContent = text;
  root.dataset.replayed = String(n);
  root.hidden = false;
}

export function renderGaps(root, gaps) {
  root.hidden = gaps.length === 0;
  if (gaps.length === 0) return;
  const lost = gaps.reduce((s, g) => s + (g.lost > 0 ? g.lost : 0), 0);
  root.textContent = `Some history could not be replayed (past retention): ${lost} record${lost === 1 ? '' : 's'} on the site's topics lost.`;
}
