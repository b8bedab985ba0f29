import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Builds the UI when its sources are newer than the build; browser tests call it in beforeAll. */
export function ensureUiBuilt(): string {
  const root = path.resolve(import.meta.dirname, '../..');
  const built = path.join(root, 'ui/dist/index.html');
  const newest = newestMtime(path.join(root, 'ui'));
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest) return path.dirname(built);
  execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'ui/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  return path.dirname(built);
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'dist' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}
