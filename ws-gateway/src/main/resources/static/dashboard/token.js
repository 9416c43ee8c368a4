/**
 * Where the page gets its token and project from: `?token=` (the launcher prints such a URL), else the token
 * kept for this browser tab, else the login box. The token's claims are read only to choose rooms and
 * projects for the UI; the gateway verifies the token, the page never trusts it for anything else.
 */

const TAB_KEY = 'sitewire.dashboard.token';

/** Roles that may join management:project:{p} (protocol: manager and safety_officer). */
export const MANAGEMENT_ROLES = Object.freeze(['manager', 'safety_officer']);

/** The claims of a JWT, without verifying it; null when it is not a readable JWT. */
export function readClaims(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/**
 * What the page starts with.
 * @returns {{token: string|null, project: string|null, projects: string[], roles: string[]|null, historyMinutes: number,
 *   subject: string|null, expiresAt: number|null}}
 */
export function startParameters(location, storage) {
  const params = new URLSearchParams(location.search);
  let token = params.get('token');
  if (token) {
    try {
      storage.setItem(TAB_KEY, token);
    } catch {
      // storage disabled: the token lives in the URL only
    }
  } else {
    try {
      token = storage.getItem(TAB_KEY);
    } catch {
      token = null;
    }
  }
  const claims = readClaims(token);
  const projects = claims && Array.isArray(claims.projects) ? claims.projects.filter((p) => typeof p === 'string') : [];
  const roles = claims && Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : null;
  const project = params.get('project') || projects[0] || null;
  const history = Number(params.get('history'));
  return {
    token: token || null,
    project,
    projects,
    roles,
    subject: claims && typeof claims.sub === 'string' ? claims.sub : null,
    expiresAt: claims && typeof claims.exp === 'number' ? claims.exp * 1000 : null,
    historyMinutes: params.has('history') && Number.isFinite(history) && history >= 0 ? history : 15,
  };
}

/** Drops the token from the address bar (it stays in this tab's storage), so it is not shared by copying the URL. */
export function hideTokenFromAddressBar(location, history) {
  const url = new URL(location.href);
  if (!url.searchParams.has('token')) return;
  url.searchParams.delete('token');
  history.replaceState(null, '', url.pathname + (url.search ? url.search : '') + url.hash);
}

export function forgetToken(storage) {
  try {
    storage.removeItem(TAB_KEY);
  } catch {
    // nothing kept
  }
}

export function saveToken(storage, token) {
  try {
    storage.setItem(TAB_KEY, token);
  } catch {
    // storage disabled
  }
}

/**
 * The rooms to join: the management room carries everything the project room does plus positions, worker
 * state, headcount and equipment, so a token that may join it gets only that room (one frame per record);
 * others get the project room. `null` roles (a token the page cannot read) means: try management first.
 */
export function roomsFor(project, roles) {
  const management = `management:project:${project}`;
  const site = `project:${project}`;
  if (roles === null) return { first: management, fallback: site };
  return roles.some((r) => MANAGEMENT_ROLES.includes(r)) ? { first: management, fallback: site } : { first: site, fallback: null };
}
