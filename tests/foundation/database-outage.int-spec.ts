import { createServer, connect, Server, Socket } from 'node:net';
import { Client } from 'pg';
import { bearer, createTestApp, TEST_PG, TestApp } from '../support/test-app';

/**
 * A loopback hop between the service and PostgreSQL that the test can cut: `silence()` drops every
 * byte both ways (a network that stopped answering), `refuse()` closes every connection and the
 * port (a server that is gone), `restore()` forwards again.
 */
class CuttableProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private silent = false;
  port = 0;

  constructor(private readonly upstreamPort: number) {
    this.server = createServer((downstream) => this.pipe(downstream));
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  silence(): void {
    this.silent = true;
  }

  async refuse(): Promise<void> {
    const closed = new Promise((resolve) => this.server.close(resolve));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  async restore(): Promise<void> {
    this.silent = false;
    if (!this.server.listening) await this.listen(this.port);
  }

  async close(): Promise<void> {
    await this.refuse().catch(() => undefined);
  }

  private pipe(downstream: Socket): void {
    const upstream = connect(this.upstreamPort, '127.0.0.1');
    for (const [from, to] of [
      [downstream, upstream],
      [upstream, downstream],
    ]) {
      this.sockets.add(from);
      from.on('data', (chunk) => this.silent || to.write(chunk));
      from.on('error', () => to.destroy());
      from.on('close', () => {
        this.sockets.delete(from);
        to.destroy();
      });
    }
  }
}

let proxy: CuttableProxy;
let app: TestApp;

beforeAll(async () => {
  proxy = new CuttableProxy(Number(new URL(TEST_PG).port || 5432));
  await proxy.listen();
  app = await createTestApp((databaseUrl) => {
    const url = new URL(databaseUrl);
    url.port = String(proxy.port);
    return { DATABASE_URL: url.toString(), LANTERNE_DB_CONNECT_TIMEOUT_MS: '1000', LANTERNE_DB_STATEMENT_TIMEOUT_MS: '1000' };
  });
});
afterAll(async () => {
  await proxy.restore();
  await app.close();
  await proxy.close();
});

const listSubscribers = async () => {
  const started = Date.now();
  const response = await app.http.get('/api/v1/subscribers').set(bearer(app.adminToken));
  return { response, elapsedMs: Date.now() - started };
};

const expectUnavailable = ({ response, elapsedMs }: Awaited<ReturnType<typeof listSubscribers>>) => {
  expect(response.status).toBe(503);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.headers['retry-after']).toBe('5');
  expect(response.body).toMatchObject({ status: 503, type: 'urn:lanterne:problem:database-unavailable' });
  expect(elapsedMs).toBeLessThan(5000);
};

const expectServedAgain = async () => {
  // The first request after a loss may still meet a connection the pool has not yet seen die.
  let last = await listSubscribers();
  for (let attempt = 0; attempt < 5 && last.response.status !== 200; attempt += 1) last = await listSubscribers();
  expect(last.response.status).toBe(200);
};

describe('a database that stops answering', () => {
  it('answers-503-with-retry-after-within-seconds-and-serves-again-once-it-answers', async () => {
    expect((await listSubscribers()).response.status).toBe(200);
    proxy.silence();
    expectUnavailable(await listSubscribers());
    expectUnavailable(await listSubscribers());
    await proxy.restore();
    await expectServedAgain();
  });
});

describe('a database that is gone', () => {
  it('answers-503-with-retry-after-while-connections-are-refused-and-serves-again-once-it-is-back', async () => {
    expect((await listSubscribers()).response.status).toBe(200);
    await proxy.refuse();
    expectUnavailable(await listSubscribers());
    await proxy.restore();
    await expectServedAgain();
  });

  it('answers-503-when-an-administrator-terminates-the-backends-mid-statement', async () => {
    const admin = new Client({ connectionString: app.databaseUrl });
    await admin.connect();
    try {
      // A table held locked keeps the listing waiting on the server while its backends are killed.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE subscribers IN ACCESS EXCLUSIVE MODE');
      const pending = listSubscribers();
      await waitFor(async () => (await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rows[0].n > 0);
      await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'`);
      expectUnavailable(await pending);
      await admin.query('ROLLBACK');
    } finally {
      await admin.end();
    }
    await expectServedAgain();
  });
});

describe('a statement that runs past the timeout', () => {
  it('answers-503-with-retry-after-instead-of-waiting', async () => {
    const admin = new Client({ connectionString: app.databaseUrl });
    await admin.connect();
    try {
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE subscribers IN ACCESS EXCLUSIVE MODE');
      expectUnavailable(await listSubscribers());
      await admin.query('ROLLBACK');
    } finally {
      await admin.end();
    }
    expect((await listSubscribers()).response.status).toBe(200);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
