import http from 'node:http';
import https from 'node:https';

/**
 * What a send can tell us. The difference between `not-sent` and `unknown` is what keeps a record
 * from being stored twice: before the request body has left this process the platform cannot have
 * processed it, so sending again is safe; after that — a timeout, a dropped connection, a 5xx —
 * the platform may have stored it, and only a query may decide.
 */
export type SendOutcome =
  | { phase: 'not-sent'; message: string }
  | { phase: 'unknown'; message: string }
  | { phase: 'answered'; status: number; text: string; ms: number };

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) };

export function postJson(url: string, body: string, timeoutMs: number): Promise<SendOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    let written = false;
    let settled = false;
    const done = (o: SendOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    const req = lib.request(u, {
      method: 'POST',
      agent: u.protocol === 'https:' ? agents.https : agents.http,
      headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) },
    });
    const timer = setTimeout(() => {
      done(written ? { phase: 'unknown', message: `no answer within ${timeoutMs} ms` } : { phase: 'not-sent', message: `could not send within ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('finish', () => (written = true));
    req.on('error', (err) => done(written ? { phase: 'unknown', message: `connection lost after sending: ${err.message}` } : { phase: 'not-sent', message: err.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => done({ phase: 'unknown', message: `answer cut off: ${err.message}` }));
      res.on('aborted', () => done({ phase: 'unknown', message: 'answer cut off' }));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        // A server error may come after the platform stored the call: treat it as unknown.
        if (status >= 500) done({ phase: 'unknown', message: `HTTP ${status} ${text.slice(0, 200)}`.trim() });
        else done({ phase: 'answered', status, text, ms: performance.now() - started });
      });
    });
    req.end(body);
  });
}
