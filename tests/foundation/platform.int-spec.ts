import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { Public, Roles } from '../../src/common/access';
import { RouteAccessCheck } from '../../src/auth/route-access.check';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('platform', () => {
  it('publishes-an-openapi-3.1-document-generated-from-the-zod-schemas', async () => {
    const r = await app.http.get('/api/v1/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/api/v1/subscribers', '/api/v1/users', '/api/v1/me', '/api/v1/subscriptions/{id}/end']));
    const createSubscriber = r.body.paths['/api/v1/subscribers'].post.requestBody.content['application/json'].schema;
    const schema = createSubscriber.$ref ? r.body.components.schemas[createSubscriber.$ref.split('/').pop()] : createSubscriber;
    expect(schema.required).toEqual(expect.arrayContaining(['displayName', 'email']));
    expect(schema.properties.email.format).toBe('email');
  });

  it('serves-swagger-ui-at-docs', async () => {
    const r = await app.http.get('/docs/');
    expect(r.status).toBe(200);
    expect(r.text).toContain('swagger');
  });

  it('health-checks-the-database-and-the-queue-without-a-token', async () => {
    const r = await app.http.get('/health');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok', database: 'ok', queue: 'ok' });
  });

  it('a-worker-records-its-heartbeat', async () => {
    const deadline = Date.now() + 20_000;
    let seen: string | null = null;
    while (!seen && Date.now() < deadline) {
      seen = (await app.http.get('/health')).body.workerLastSeenAt;
      if (!seen) await new Promise((r) => setTimeout(r, 250));
    }
    expect(seen).not.toBeNull();
  });

  it('answers-unknown-routes-and-methods-with-problem-json', async () => {
    const r = await app.http.delete('/api/v1/subscribers').set(bearer(app.adminToken));
    expect(r.status).toBe(404);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 404, title: 'Not Found', type: expect.stringContaining('no-such-route') });
  });
});

describe('a route without an access rule', () => {
  @Controller('open')
  class ForgetfulController {
    @Get()
    leak() {
      return 'oops';
    }

    @Get('fine')
    @Public()
    fine() {
      return 'ok';
    }
  }

  @Controller('guarded')
  @Roles('admin')
  class GuardedController {
    @Get()
    inherited() {
      return 'ok';
    }
  }

  @Module({ imports: [DiscoveryModule], controllers: [ForgetfulController, GuardedController], providers: [RouteAccessCheck] })
  class ForgetfulModule {}

  it('keeps-the-application-from-starting-and-names-it', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ForgetfulModule] }).compile();
    const nest = moduleRef.createNestApplication(new FastifyAdapter(), { logger: false });
    await expect(nest.init()).rejects.toThrow('ForgetfulController.leak');
    expect(moduleRef.get(RouteAccessCheck).routesWithoutAccessRule()).toEqual(['ForgetfulController.leak']);
  });
});
