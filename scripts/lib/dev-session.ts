import type { SessionView, UnitView } from '../../server/contract/accounts.js';

/** For tests, benchmarks and demos: the passwords of the bootstrap `admin` before and after the forced change. */
export const DEV_ADMIN_INITIAL_PASSWORD = 'Init#Dock2026';
export const DEV_ADMIN_PASSWORD = 'Dock&Work2026';
export const DEV_UNIT = { name: '兰州示范医药有限公司', uscc: '91350100M000100Y43', type: 'distributor' } as const;
const ALL_BUSINESSES = ['receiving', 'dispatch', 'aggregation', 'retail', 'upload', 'query', 'masterdata', 'admin'] as const;

export interface DevSession {
  token: string;
  /** `Cookie` header value. */
  cookie: string;
  operatorId: number;
  unitId: number;
}

async function call<T>(url: string, method: string, path: string, cookie: string | undefined, body?: unknown): Promise<{ data: T; setCookie: string | null }> {
  const res = await fetch(url + path, {
    method,
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return { data: (text ? JSON.parse(text) : null) as T, setCookie: res.headers.get('set-cookie') };
}

/**
 * Logs in as `admin` on a fresh workstation started with TRACEDOCK_ADMIN_PASSWORD, does the forced
 * password change, creates a unit, binds admin to it with every business, and chooses it — the
 * state a real site reaches through the admin screens.
 */
export async function establishAdminSession(url: string, initialPassword = DEV_ADMIN_INITIAL_PASSWORD): Promise<DevSession> {
  let login;
  try {
    login = await call<SessionView>(url, 'POST', '/api/session', undefined, { username: 'admin', password: initialPassword });
  } catch {
    login = await call<SessionView>(url, 'POST', '/api/session', undefined, { username: 'admin', password: DEV_ADMIN_PASSWORD });
  }
  const token = /td_session=([^;]+)/.exec(login.setCookie ?? '')?.[1];
  if (!token) throw new Error('login set no session cookie');
  const cookie = `td_session=${token}`;
  if (login.data.mustChangePassword) {
    await call(url, 'POST', '/api/session/password', cookie, { currentPassword: initialPassword, newPassword: DEV_ADMIN_PASSWORD });
  }
  const units = (await call<UnitView[]>(url, 'GET', '/api/units', cookie)).data;
  const unit = units.find((u) => u.uscc === DEV_UNIT.uscc) ?? (await call<UnitView>(url, 'POST', '/api/units', cookie, DEV_UNIT)).data;
  const operatorId = login.data.operator.id;
  if (!login.data.units.some((u) => u.id === unit.id)) await call(url, 'POST', '/api/bindings', cookie, { operatorId, unitId: unit.id });
  const held = (await call<Array<{ operatorId: number; business: string }>>(url, 'GET', `/api/units/${unit.id}/grants`, cookie)).data;
  for (const business of ALL_BUSINESSES) {
    if (!held.some((g) => g.operatorId === operatorId && g.business === business)) {
      await call(url, 'POST', '/api/grants', cookie, { operatorId, unitId: unit.id, business });
    }
  }
  await call(url, 'POST', '/api/session/unit', cookie, { unitId: unit.id });
  return { token, cookie, operatorId, unitId: unit.id };
}
