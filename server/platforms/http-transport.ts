import http from 'node:http';
import https from 'node:https';

/**
 * One HTTP request to a platform, told apart by what it can mean for the data. Before the request
 * body has left this process the platform cannot have processed it (`not-sent`: sending again is
 * safe); after that, a timeout or a dropped connection leaves it open whether the platform stored
 * it (`unknown`). Any status that came back is `answered` — 5xx included: whether a server error
 * may have stored something is the caller's call (the NHSA transport reads it as unknown).
 */
export type HttpOutcome =
  | { phase: 'not-sent'; message: string }
  | { phase: 'unknown'; message: string }
  | { phase: 'answered'; status: number; text: string; ms: number };

export interface HttpRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers?: Record<string, string>;
  /** Sent as UTF-8; '' sends an empty body with content-length 0. */
  body: string;
  timeoutMs: number;
}

const agents = { http: new http.Agent({ keepAlive: true, maxSockets: 16 }), https: new https.Agent({ keepAlive: true, maxSockets: 16 }) };

export function sendHttp(r: HttpRequest): Promise<HttpOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let u: URL;
    try {
      u = new URL(r.url);
    } catch {
      return resolve({ phase: 'not-sent', message: `invalid URL ${r.url}` });
    }
    const lib = u.protocol === 'https:' ? https : http;
    let written = false;
    let settled = false;
    const done = (o: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(o);
    };
    let req: http.ClientRequest;
    try {
      req = lib.request(u, {
        method: r.method ?? 'POST',
        agent: u.protocol === 'https:' ? agents.https : agents.http,
        headers: { ...r.headers, 'content-length': Buffer.byteLength(r.body) },
      });
    } catch (err) {
      // An invalid header value (a line break, a non-Latin-1 character) fails before anything is sent.
      return resolve({ phase: 'not-sent', message: (err as Error).message });
    }
    const timer = setTimeout(() => {
      done(written ? { phase: 'unknown', message: `no answer within ${r.timeoutMs} ms` } : { phase: 'not-sent', message: `could not send within ${r.timeoutMs} ms` });
      req.destroy();
    }, r.timeoutMs);
    req.on('finish', () => (written = true));
    req.on('error', (err) => done(written ? { phase: 'unknown', message: `connection lost after sending: ${err.message}` } : { phase: 'not-sent', message: err.message }));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err) => done({ phase: 'unknown', message: `answer cut off: ${err.message}` }));
      res.on('aborted', () => done({ phase: 'unknown', message: 'answer cut off' }));
      res.on('end', () => done({ phase: 'answered', status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
    });
    req.end(r.body);
  });
}
