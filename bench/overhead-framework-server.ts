import 'reflect-metadata';
import { Controller, Get, Headers, Module, Query, Res } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';
import { Answer, closeBareWork, health, lookup, me } from './overhead-bare-work';

/**
 * The framework floor of bench/overhead.bench.ts: the bare server's work (the same functions) in a
 * Nest application on Express with nothing else: no guard, pipe, filter, logging or headers. What
 * it costs over the bare server is what Nest and Express cost before Lanterne does anything.
 */
@Controller()
class BareController {
  @Get('health')
  health(@Res({ passthrough: true }) response: Response): Promise<unknown> {
    return answer(response, health());
  }

  @Get('api/v1/me')
  me(@Headers('authorization') authorization: string | undefined, @Res({ passthrough: true }) response: Response): Promise<unknown> {
    return answer(response, me(authorization));
  }

  @Get('api/v1/ip-assignments')
  lookup(@Headers('authorization') authorization: string | undefined, @Query('address') address: string | undefined, @Res({ passthrough: true }) response: Response): Promise<unknown> {
    return answer(response, lookup(authorization, address ?? ''));
  }
}

async function answer(response: Response, work: Promise<Answer>): Promise<unknown> {
  const { status, body } = await work;
  response.status(status);
  return body;
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BareModule, { logger: false, bodyParser: false });
  app.disable('x-powered-by');
  app.set('etag', false);
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`listening http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}\n`);
  process.once('SIGTERM', () => {
    const server = app.getHttpServer();
    server.close();
    server.closeAllConnections();
    void closeBareWork().then(() => process.exit(0));
  });
}

void main();
