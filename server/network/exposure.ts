/**
 * Who can reach the workstation. On loopback only this PC can; any other address puts scans,
 * sessions and personal data on the LAN, so that needs TLS (issue 4 / Gansu notice §四: personal
 * data only travels encrypted).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

export type TlsSetting = { mode: 'off' } | { mode: 'self-signed' } | { mode: 'files'; certFile: string; keyFile: string };

/** Why this combination must not start, or undefined when it may. */
export function exposureProblem(host: string, tls: TlsSetting): string | undefined {
  if (isLoopbackHost(host) || tls.mode !== 'off') return undefined;
  return (
    `refusing to listen on ${host} without TLS: other machines could read scans, sessions and personal data in clear text. ` +
    `Set TRACEDOCK_TLS=self-signed (a certificate is generated into the data directory) or TRACEDOCK_TLS_CERT and TRACEDOCK_TLS_KEY, ` +
    `or listen on 127.0.0.1.`
  );
}
