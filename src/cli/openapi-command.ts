import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/config';
import { buildOpenApiDocument } from '../openapi';
import { applyRoutePrefix } from '../server';

/**
 * `lanterne openapi`: the document the service serves at /api/v1/openapi.json, without a running
 * service. Nest's preview mode builds the module graph without instantiating any provider, so no
 * database, queue or key is touched (the throwaway keys below are never used).
 */
export async function printOpenApiDocument(): Promise<void> {
  const config = loadConfig({});
  const keys = { masterKey: randomBytes(32), signingKey: generateKeyPairSync('ed25519').privateKey };
  const app = await NestFactory.create(AppModule.forRoot({ config, keys, databaseUrl: 'postgres://preview' }), new FastifyAdapter(), { preview: true, logger: false });
  try {
    applyRoutePrefix(app);
    process.stdout.write(`${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
  } finally {
    await app.close();
  }
}
