/**
 * A small sample site for the fake gateway (DashboardBrowserIT produces its own, through Kafka): JSON forms of
 * the Avro records as the gateway streams them.
 */
const LAT = 52.52;
const LNG = 13.405;
const M_LAT = 1 / 111_132;
const M_LNG = 1 / (111_320 * Math.cos((LAT * Math.PI) / 180));
const at = (eastM, northM) => ({ lat: LAT + northM * M_LAT, lng: LNG + eastM * M_LNG });

const WORKERS = [
  ['w-ana', 'north', 'carpenter', 10, 40], ['w-ben', 'north', 'electrician', 22, 48], ['w-cem', 'north', 'carpenter', 30, 36],
  ['w-dia', 'south', 'ironworker', 5, -20], ['w-eli', 'south', 'ironworker', 18, -28], ['w-fay', 'crane-pad', 'rigger', 60, 5],
];

export function sampleSite(projectId, now) {
  const positions = WORKERS.map(([workerId, zone, , e, n], i) => ({
    projectId, workerId, ...at(e, n), accuracyM: 3, zone, eventTime: now - 1000 + i,
  }));
  const states = WORKERS.map(([workerId, zone, trade, e, n], i) => ({
    projectId, workerId, checkedIn: true, status: i === 4 ? 'BREAK' : 'ACTIVE', zone, trade, ...at(e, n), lastSeen: now - 1000 + i,
  }));
  const equipment = [
    { projectId, equipmentId: 'crane-1', type: 'CRANE', status: 'OPERATIONAL', moving: true, operatorId: 'w-op1', ...at(55, 12), safetyRadiusM: 25, eventTime: now },
    { projectId, equipmentId: 'excavator-2', type: 'EXCAVATOR', status: 'OPERATIONAL', moving: false, operatorId: 'w-op2', ...at(0, -40), safetyRadiusM: 8, eventTime: now },
    { projectId, equipmentId: 'loader-3', type: 'LOADER', status: 'IDLE', moving: false, operatorId: null, ...at(-20, 20), safetyRadiusM: 6, eventTime: now },
  ];
  const zones = new Map();
  for (const [, zone] of WORKERS) zones.set(zone, (zones.get(zone) || 0) + 1);
  const headcount = [...zones].map(([zone, count]) => ({ projectId, zone, count, updatedAt: now }));
  headcount.push({ projectId, zone: '*', count: WORKERS.length, updatedAt: now });
  return { positions, states, equipment, headcount };
}

export function emergencyAlert(projectId, suffix, now) {
  return {
    alertId: `${projectId}-sos-${suffix}`, type: 'SOS', priority: 'EMERGENCY', state: 'RAISED', projectId, zone: 'north',
    workerId: 'w-ben', equipmentId: null, metric: null, value: null, limit: null, rule: 'wearable.sos', limitSource: null,
    message: 'SOS pressed by w-ben in north', ...at(22, 48), sourceTime: now - 50, raisedAt: now,
  };
}

export function highAlert(projectId, suffix, now) {
  return {
    alertId: `${projectId}-prox-${suffix}`, type: 'PROXIMITY', priority: 'HIGH', state: 'RAISED', projectId, zone: 'crane-pad',
    workerId: 'w-fay', equipmentId: 'crane-1', metric: null, value: 14, limit: 25, rule: 'proximity.outer',
    limitSource: 'site rule: crane slew radius', message: `w-fay 14 m from crane-1 (${suffix})`, ...at(60, 5), sourceTime: now - 50,
    raisedAt: now,
  };
}

export function clearOf(alert, now) {
  return { ...alert, state: 'CLEARED', raisedAt: now, message: `${alert.message} (cleared)` };
}

export function rollCall(projectId, now) {
  return {
    projectId, evacuationId: `evac-${now}`, active: true, musterZones: ['gate-a'], accounted: ['w-ana', 'w-cem', 'w-dia', 'w-eli', 'w-fay'],
    missing: ['w-ben'], startedAt: now - 60_000, updatedAt: now,
  };
}
