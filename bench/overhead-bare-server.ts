import { createServer, ServerResponse } from 'node:http';
import { Answer, closeBareWork, health, lookup, me } from './overhead-bare-work';

/**
 * The baseline of bench/overhead.bench.ts: node:http and `pg`, no framework, doing the work
 * Lanterne does on the same routes. Started as its own process with BARE_DATABASE_URL and
 * BARE_REDIS_URL; prints the port it listens on.
 */
function send(response: ServerResponse, { status, body }: Answer): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

const server = createServer((request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const authorization = request.headers.authorization;
  const answer =
    url.pathname === '/health'
      ? health()
      : url.pathname === '/api/v1/me'
        ? me(authorization)
        : url.pathname === '/api/v1/ip-assignments'
          ? lookup(authorization, url.searchParams.get('address') ?? '')
          : Promise.resolve({ status: 404, body: { title: 'not found' } });
  answer.then(
    (result) => send(response, result),
    (error: unknown) => send(response, { status: 500, body: { title: String(error) } }),
  );
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${(server.address() as { port: number }).port}\n`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void closeBareWork().then(() => process.exit(0));
});
