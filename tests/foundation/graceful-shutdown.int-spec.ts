import { Agent, get } from 'node:http';
import { startService } from '../support/run-cli';
import { createTestDatabase, testEnvironment } from '../support/test-app';

const GRACE_MS = 4000;
const CLIENTS = 20;

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

interface Answer {
  at: number;
  status: number;
  connection: string | undefined;
}

/** A client that sends its next request the moment an answer arrives, over one kept-alive socket. */
async function hammer(url: string, token: string, until: () => boolean): Promise<Answer[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const answers: Answer[] = [];
  try {
    while (!until()) {
      const answer = await new Promise<Answer>((resolve, reject) => {
        get(`${url}/api/v1/me`, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
          response.resume();
          response.on('end', () => resolve({ at: Date.now(), status: response.statusCode ?? 0, connection: response.headers.connection }));
        }).on('error', reject);
      });
      answers.push(answer);
    }
  } catch {
    // Refused or reset: the server no longer takes this client, which is the point.
  } finally {
    agent.destroy();
  }
  return answers;
}

describe('SIGTERM with keep-alive clients', () => {
  it('answers-with-connection-close-stops-accepting-and-exits-within-the-grace-period', async () => {
    const env = testEnvironment(database.url, { LANTERNE_SHUTDOWN_GRACE_MS: String(GRACE_MS), LANTERNE_LOG_LEVEL: 'warn' });
    const run = await startService(env);
    const url = run.url as string;
    try {
      let giveUp = false;
      const clients = Array.from({ length: CLIENTS }, () => hammer(url, env.LANTERNE_BOOTSTRAP_TOKEN, () => giveUp));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const signalledAt = Date.now();
      run.child.kill('SIGTERM');
      const code = await Promise.race([run.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), GRACE_MS + 5000).unref())]);
      const exitedAfterMs = Date.now() - signalledAt;
      giveUp = true;
      const answers = await Promise.all(clients);

      expect(code).toBe(0);
      expect(exitedAfterMs).toBeLessThan(GRACE_MS);
      expect(answers.flat().filter((a) => a.at < signalledAt).every((a) => a.status === 200)).toBe(true);
      // Each client got at most the answer in flight and one racing the signal, the last one saying close.
      for (const client of answers) {
        expect(client.filter((a) => a.at >= signalledAt).length).toBeLessThanOrEqual(2);
      }
      expect(answers.flat().some((a) => a.connection === 'close')).toBe(true);
      expect(run.stdout()).toContain('SIGTERM: finishing in-flight requests and jobs');
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }, 240_000);
});
