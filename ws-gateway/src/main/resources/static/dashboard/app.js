/**
 * The Sitewire dashboard: one project's site, live, from the gateway's stream through the JS SDK.
 *
 * Rendering is split by urgency: alerts, the EMERGENCY banner and the roll call are redrawn within the same
 * task as the frame that changed them (a zero-delay timer coalesces bursts such as a replay), the site plan on
 * the next animation frame.
 */
import { SitewireClient } from '/sdk/sitewire.js';
import { SiteModel } from './model.js';
import { SitePlan } from './siteplan.js';
import {
  renderBanner, renderConnection, renderFeed, renderGaps, renderHeadcount, renderResumeProof, renderRollCall,
} from './views.js';
import {
  forgetToken, hideTokenFromAddressBar, roomsFor, saveToken, startParameters,
} from './token.js';

const $ = (selector) => document.querySelector(selector);

const start = startParameters(window.location, window.sessionStorage);
hideTokenFromAddressBar(window.location, window.history);

if (!start.token || !start.project) {
  showLogin(start, start.token ? 'This token names no project: enter one.' : null);
} else {
  run(start);
}

function showLogin(params, message) {
  const form = $('#login');
  form.hidden = false;
  $('#dashboard').hidden = true;
  if (message) $('#login-message').textContent = message;
  if (params.project) form.elements.project.value = params.project;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const token = form.elements.token.value.trim();
    const project = form.elements.project.value.trim();
    if (!token) return;
    saveToken(window.sessionStorage, token);
    const url = new URL(window.location.href);
    url.searchParams.delete('token');
    if (project) url.searchParams.set('project', project);
    else url.searchParams.delete('project');
    window.location.assign(url.toString());
  });
}

function run(params) {
  const model = new SiteModel();
  const plan = new SitePlan($('#plan'), model);
  $('#project-name').textContent = params.project;
  $('#who').textContent = params.subject ? `${params.subject}${params.roles ? ` (${params.roles.join(', ')})` : ''}` : '';
  projectPicker(params);

  let panelsDirty = false;
  let planDirty = false;
  const redrawPanels = () => {
    panelsDirty = false;
    renderBanner($('#emergency'), model, acknowledge);
    renderFeed($('#alerts'), model);
    renderHeadcount($('#headcount'), model);
    renderRollCall($('#rollcall'), model);
    renderGaps($('#gaps'), model.gaps);
    const emergencies = model.unacknowledgedEmergencies().length;
    document.title = emergencies > 0 ? `EMERGENCY (${emergencies}) — Sitewire ${params.project}` : `Sitewire ${params.project}`;
  };
  const panels = () => {
    if (panelsDirty) return;
    panelsDirty = true;
    setTimeout(redrawPanels, 0);
  };
  const redrawPlan = () => {
    planDirty = false;
    plan.render();
  };
  const planLater = () => {
    if (planDirty) return;
    planDirty = true;
    // rAF pauses in a hidden tab; the timer keeps a background dashboard's plan current (at a slower pace)
    requestAnimationFrame(() => planDirty && redrawPlan());
    setTimeout(() => planDirty && redrawPlan(), 250);
  };
  function acknowledge(alertId) {
    model.acknowledge(alertId);
    redrawPanels();
  }

  const client = new SitewireClient({
    url: '/v1/stream',
    token: params.token,
    backoff: { initialMs: 500, maxMs: 5000, factor: 2, jitter: 0.5 },
    heartbeatMs: 10000,
  });
  window.sitewireDashboard = { client, model };

  client.on('state', (state, info) => {
    renderConnection($('#connection'), state, info);
    if (state === 'unauthorized') {
      forgetToken(window.sessionStorage);
      $('#auth-problem').hidden = false;
      $('#auth-problem-text').textContent = `The gateway refused the token${info && info.reason ? ` (${info.reason})` : ''}.`;
    }
  });
  client.on('snapshot', (frame) => {
    model.applySnapshot(frame);
    panels();
    planLater();
  });
  client.on('event', (frame) => {
    if (model.applyEvent(frame)) {
      if (frame.type === 'alert' || frame.type === 'manual_broadcast' || frame.type === 'roll_call' || frame.type === 'zone_headcount') {
        panels();
      }
      planLater();
    }
  });
  client.on('gap', (gap) => {
    model.applyGap(gap);
    panels();
  });
  client.on('resumed', (info) => {
    renderResumeProof($('#resume-proof'), info, Date.now());
  });
  client.on('error', (err) => {
    if (err.code === 'forbidden' || err.code === 'unknown_room') {
      $('#problem').hidden = false;
      $('#problem').textContent = `${err.code}: ${err.message}`;
    }
  });

  const rooms = roomsFor(params.project, params.roles);
  const from = params.historyMinutes > 0 ? Date.now() - params.historyMinutes * 60_000 : 'latest';
  $('#scope').textContent = rooms.first.startsWith('management:')
    ? 'whole site: positions, equipment, headcount, alerts'
    : 'alerts and broadcasts (positions need a manager or safety officer token)';
  client.subscribe([rooms.first], { from }).catch((err) => {
    if (rooms.fallback && err.code === 'forbidden') {
      $('#scope').textContent = 'alerts and broadcasts (positions need a manager or safety officer token)';
      $('#problem').hidden = true;
      client.subscribe([rooms.fallback], { from }).catch(() => {});
    }
  });
  client.connect().catch(() => {});
  redrawPanels();
  plan.render();
}

function projectPicker(params) {
  const picker = $('#project-picker');
  if (params.projects.length < 2) return;
  picker.hidden = false;
  const select = picker.querySelector('select');
  select.replaceChildren(...params.projects.map((p) => {
    const o = document.createElement('option');
    o.value = p;
    o.textContent = p;
    o.selected = p === params.project;
    return o;
  }));
  select.addEventListener('change', () => {
    const url = new URL(window.location.href);
    url.searchParams.set('project', select.value);
    window.location.assign(url.toString());
  });
}
