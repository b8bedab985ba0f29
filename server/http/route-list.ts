import type { Express } from 'express';

export interface RouteInfo {
  method: string;
  path: string;
}

interface LayerLike {
  rawPath?: string;
  route?: { path: string | RegExp; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

/** Every method + path the app answers, walked from Express 5's router stack (tests, docs). */
export function listRoutes(app: Express): RouteInfo[] {
  const out: RouteInfo[] = [];
  const walk = (stack: LayerLike[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        if (typeof layer.route.path !== 'string') continue; // the UI fallback (a RegExp), not API
        for (const m of Object.keys(layer.route.methods)) out.push({ method: m.toUpperCase(), path: join(prefix, layer.route.path) });
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, join(prefix, layer.rawPath ?? '/'));
      }
    }
  };
  walk(((app as unknown as { router: { stack: LayerLike[] } }).router).stack, '');
  return out;
}

const join = (a: string, b: string): string => (b === '/' ? a || '/' : `${a}${b}`.replace(/\/+$/, '') || '/');
