import { ConfigError, describeConfig, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startWorkstation } from './workstation.js';

/** `npm start`: one process, embedded SQLite under ./data, UI on http://127.0.0.1:8720. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger(config.logLevel);
  log.info(describeConfig(config), 'starting TraceDock');
  const ws = await startWorkstation(config, { logger: log });
  if (ws.accounts.key.created) log.info({ file: ws.accounts.key.file }, 'created the data key file (back it up with the database)');
  if (ws.bootstrap.created) {
    // Shown once, on the console only (never logged): it must be changed at the first login.
    const pw = ws.bootstrap.generatedPassword;
    console.log(pw ? `First start: user admin, password ${pw} — you must change it at the first login.` : 'First start: user admin created with TRACEDOCK_ADMIN_PASSWORD — change it at the first login.');
  }
  // Printed plainly (not only as JSON) so a person starting it sees where to point the browser.
  console.log(`TraceDock 追溯码工作站 listening on ${ws.url}`);

  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl+C means "now"
    log.info({ signal }, 'shutting down: closing scanners, finishing writes, checkpointing');
    ws.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error('TraceDock failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
