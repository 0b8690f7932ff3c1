import { ArgumentsHost, Body, Catch, Controller, Get, Header, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Public } from '../common/access';
import { ProblemFilter } from '../common/problem.filter';
import { TextBodyPipe } from '../common/request-parsing';
import { Operation } from '../openapi';
import { WitnessError, WitnessErrorCode } from './witness.errors';
import { OriginHashParamDto } from './witness.schemas';
import { WitnessService } from './witness.service';

/** An add-checkpoint body: 63 proof lines and a note with a few dozen signatures fit many times over. */
export const ADD_CHECKPOINT_BODY_LIMIT_BYTES = 64 * 1024;
const TEXT = 'text/plain; charset=utf-8';

/**
 * The one answer of the API that is not problem+json: tlog-witness requires a 409 to carry the size
 * last cosigned, as `text/x.tlog.size`, for the log to retry from it. Every other refusal is a problem.
 */
@Catch()
export class TlogSizeFilter extends ProblemFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof WitnessError && exception.code === WitnessErrorCode.OldSizeMismatch)) return super.catch(exception, host);
    void host.switchToHttp().getResponse<FastifyReply>().status(409).type('text/x.tlog.size').send(`${String(exception.extensions.treeSize)}\n`);
  }
}

@ApiTags('witness')
@Controller('witness')
export class WitnessController {
  constructor(private readonly witness: WitnessService) {}

  @Post('add-checkpoint')
  @Public()
  @HttpCode(200)
  @Header('content-type', TEXT)
  @RouteConfig({ textBody: true, bodyLimit: ADD_CHECKPOINT_BODY_LIMIT_BYTES })
  @UseFilters(TlogSizeFilter)
  @ApiConsumes('text/plain')
  @ApiBody({ schema: { type: 'string', description: 'old <size>, the consistency proof lines, a blank line, the checkpoint note (UTF-8).' } })
  @Operation({
    id: 'witnessAddCheckpoint',
    summary: 'Cosign a checkpoint (C2SP tlog-witness)',
    description:
      'c2sp.org/tlog-witness add-checkpoint, for the logs this instance witnesses (LANTERNE_WITNESS_LOGS). The text/plain body is `old <size>`, ' +
      'the consistency proof lines (base64), a blank line and the checkpoint note. Answers the cosignature/v1 line of this witness. 400: not that ' +
      'format, or an old size above the checkpoint size; 403: no valid signature of the log key; 404: an origin this witness does not follow; ' +
      '409 (text/x.tlog.size): the old size is not the size last cosigned, which the body gives; 422: the proof does not verify, or the tree ' +
      'contradicts the one cosigned. Concurrent adds for one log are serialised.',
    answer: z.string().regex(/^(\u2014 \S+ \S+\n)+$/).describe('The cosignature line(s).'),
    mediaType: 'text/plain',
    problems: [403, 404, 422],
    also: [{ status: 409, mediaType: 'text/x.tlog.size', description: 'The old size does not match: the size of the latest cosigned checkpoint.', schema: z.string().regex(/^(0|[1-9]\d*)\n$/) }],
  })
  addCheckpoint(@Body(TextBodyPipe) body: string): Promise<string> {
    return this.witness.addCheckpoint(body);
  }

  @Get('verifier-key')
  @Public()
  @Header('content-type', TEXT)
  @Operation({
    id: 'getWitnessVerifierKey',
    summary: 'This witness’s cosigner key',
    description: 'The cosigner key as a C2SP verifier key (type 0x04, cosignature/v1), for a log operator to configure. 404 when this instance has no witness key.',
    answer: z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}\n$/),
    mediaType: 'text/plain',
    problems: [404],
  })
  verifierKey(): string {
    const vkey = this.witness.verifierKey();
    if (!vkey) throw new WitnessError(WitnessErrorCode.UnknownOrigin, 'This instance has no witness key: it witnesses no log.');
    return `${vkey}\n`;
  }

  @Get(':originHash/checkpoint')
  @Public()
  @Header('content-type', TEXT)
  @Operation({
    id: 'getWitnessedCheckpoint',
    summary: 'The latest checkpoint cosigned for a log (monitoring)',
    description:
      'tlog-witness monitoring: the latest checkpoint this witness cosigned for the log whose origin has this SHA-256 (hex), with the log ' +
      'signature it verified and its own cosignature. A monitor compares it with what the log serves: the same size with another root is a split view.',
    answer: z.string().describe('A C2SP checkpoint note.'),
    mediaType: 'text/plain',
    problems: [404],
  })
  checkpoint(@Param() params: OriginHashParamDto): Promise<string> {
    return this.witness.latest(params.originHash);
  }
}
