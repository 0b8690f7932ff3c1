import { Global, Injectable, Module } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProblemDocument } from './problem.schema';

/** Renders a problem as a page for a browser; answers false when the request is not a page's. */
export type ProblemPageRenderer = (problem: ProblemDocument, request: FastifyRequest, reply: FastifyReply) => boolean;

/**
 * Where the web pages hand the problem filter their renderer: errors are mapped to problems in one
 * place (ProblemFilter) and only their last step, JSON or HTML, depends on who asked.
 */
@Injectable()
export class ProblemPages {
  private renderer: ProblemPageRenderer | null = null;

  register(renderer: ProblemPageRenderer): void {
    if (this.renderer) throw new Error('a problem page renderer is registered twice');
    this.renderer = renderer;
  }

  rendered(problem: ProblemDocument, request: FastifyRequest, reply: FastifyReply): boolean {
    return this.renderer?.(problem, request, reply) ?? false;
  }
}

@Global()
@Module({ providers: [ProblemPages], exports: [ProblemPages] })
export class ProblemPagesModule {}
