/** Hash routes: the server only has to serve index.html, and a dock PC can bookmark its station. */
export type Route = { name: 'stations' } | { name: 'station'; id: number } | { name: 'devices' };

function parse(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const station = /^\/station\/(\d+)$/.exec(path);
  if (station) return { name: 'station', id: Number(station[1]) };
  if (path === '/devices') return { name: 'devices' };
  return { name: 'stations' };
}

class Router {
  route = $state<Route>(parse(location.hash));

  constructor() {
    window.addEventListener('hashchange', () => {
      this.route = parse(location.hash);
    });
  }

  go(path: '/' | '/devices' | `/station/${number}`): void {
    location.hash = '#' + path;
  }
}

export const router = new Router();
