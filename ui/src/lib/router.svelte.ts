/** Hash routes: the server only has to serve index.html, and a dock PC can bookmark its station. */
export type AdminSection = 'units' | 'operators' | 'grants' | 'audit';
export type MasterSection = 'products' | 'counterparties' | 'import';
export type Route =
  | { name: 'stations' }
  | { name: 'station'; id: number }
  | { name: 'devices' }
  | { name: 'login' }
  | { name: 'unit' }
  | { name: 'password' }
  | { name: 'admin'; section: AdminSection }
  | { name: 'master'; section: MasterSection }
  | { name: 'documents' }
  | { name: 'document'; id: number }
  | { name: 'codes'; code: string | null }
  | { name: 'mappings' }
  | { name: 'uploads' }
  | { name: 'retail' }
  | { name: 'retail-reconciliation' }
  | { name: 'retail-register' }
  | { name: 'recall' }
  | { name: 'query' }
  | { name: 'dashboard' };

export type Path = '/' | '/devices' | `/station/${number}` | '/login' | '/unit' | '/password' | `/admin/${AdminSection}` | `/master/${MasterSection}` | '/documents' | `/documents/${number}` | '/codes' | `/codes/${string}` | '/mappings' | '/uploads' | '/retail' | '/retail/reconciliation' | '/retail/register' | '/recall' | '/query' | '/dashboard';

const ADMIN_SECTIONS: readonly AdminSection[] = ['units', 'operators', 'grants', 'audit'];
const MASTER_SECTIONS: readonly MasterSection[] = ['products', 'counterparties', 'import'];

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parse(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const station = /^\/station\/(\d+)$/.exec(path);
  if (station) return { name: 'station', id: Number(station[1]) };
  if (path === '/devices') return { name: 'devices' };
  if (path === '/login') return { name: 'login' };
  if (path === '/unit') return { name: 'unit' };
  if (path === '/password') return { name: 'password' };
  if (path === '/documents') return { name: 'documents' };
  const doc = /^\/documents\/(\d+)$/.exec(path);
  if (doc) return { name: 'document', id: Number(doc[1]) };
  if (path === '/mappings') return { name: 'mappings' };
  if (path === '/uploads') return { name: 'uploads' };
  if (path === '/retail') return { name: 'retail' };
  if (path === '/retail/reconciliation') return { name: 'retail-reconciliation' };
  if (path === '/retail/register') return { name: 'retail-register' };
  if (path === '/recall') return { name: 'recall' };
  if (path === '/query') return { name: 'query' };
  if (path === '/dashboard') return { name: 'dashboard' };
  const code = /^\/codes(?:\/(.+))?$/.exec(path);
  if (code) return { name: 'codes', code: code[1] ? safeDecode(code[1]) : null };
  const master = MASTER_SECTIONS.find((m) => path === `/master/${m}`);
  if (master) return { name: 'master', section: master };
  const admin = /^\/admin\/(\w+)$/.exec(path);
  const section = ADMIN_SECTIONS.find((s) => s === admin?.[1]);
  if (section) return { name: 'admin', section };
  return { name: 'stations' };
}

/** The gate pages (login, unit choice, password) are never a place to come back to. */
export function isGateRoute(route: Route): boolean {
  return route.name === 'login' || route.name === 'unit' || route.name === 'password';
}

class Router {
  route = $state<Route>(parse(location.hash));
  /** Where the worker was heading when a gate page took over (a bookmarked station, say). */
  returnTo: Path | null = null;

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parse(location.hash);
    });
  }

  go(path: Path): void {
    location.hash = '#' + path;
  }

  /** Navigates without leaving a history entry: Back must not return to a page that redirects again. */
  replace(path: Path): void {
    history.replaceState(history.state, '', '#' + path);
    this.route = parse(location.hash);
  }

  /** Leaves a gate page for where the worker was heading (App.svelte re-checks the gates there). */
  leaveGate(): void {
    const to = this.returnTo ?? '/';
    this.returnTo = null;
    this.replace(to);
  }

  /** The current location as a path, for returnTo. */
  get path(): Path {
    const path = location.hash.replace(/^#/, '') || '/';
    return path as Path;
  }
}

export const router = new Router();
