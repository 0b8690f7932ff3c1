import { createTestApp, TestApp } from './test-app';

/** A fresh test app and the token of a technician on it: the usual start of a network test file. */
export async function createTechnicianApp(env: Record<string, string> = {}): Promise<{ app: TestApp; tech: string }> {
  const app = await createTestApp(env);
  return { app, tech: await app.tokenFor('technician') };
}
