import type { ServerResponse } from 'node:http';

/** What the gateways in front of both platforms answer: HTML, not the platform's JSON, which a client must survive. */
const GATEWAY_BODY: Record<number, string> = {
  500: '<html><body><h1>500 Internal Server Error</h1></body></html>',
  502: '<html><body><h1>502 Bad Gateway</h1></body></html>',
  503: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
};

export function sendGatewayError(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-type': 'text/html' });
  res.end(GATEWAY_BODY[status]);
}
