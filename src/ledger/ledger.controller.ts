import { Controller, Get, Header, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { negotiate } from '../common/accept';
import { Actor, CurrentActor, Public, Roles } from '../common/access';
import { Operation } from '../openapi';
import { CheckpointService } from './checkpoint.service';
import { Cosigning } from './cosigning.service';
import { LedgerReader } from './ledger-reader.service';
import { LedgerVerifier } from './ledger-verifier.service';
import {
  CheckpointNoteSchema,
  CheckpointView,
  CheckpointViewSchema,
  ConsistencyProofSchema,
  ConsistencyProofView,
  ConsistencyQueryDto,
  EntriesQueryDto,
  EntryIndexParamDto,
  EntryListSchema,
  EntryView,
  InclusionProofSchema,
  InclusionProofView,
  InclusionQueryDto,
  PersonalValuesSchema,
  PersonalValuesView,
  PurposeQueryDto,
  TlogProofTextSchema,
  VerifierKeyTextSchema,
  VerifyResult,
  VerifyResultSchema,
} from './ledger.schemas';
import { PersonalValuesService } from './personal-values.service';

const TEXT = 'text/plain; charset=utf-8';
const JSON_OR_TEXT = ['application/json', 'text/plain'] as const;

@ApiTags('ledger')
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly checkpoints: CheckpointService,
    private readonly reader: LedgerReader,
    private readonly verifier: LedgerVerifier,
    private readonly personalValues: PersonalValuesService,
    private readonly cosigning: Cosigning,
  ) {}

  @Get('checkpoint')
  @Public()
  @Header('vary', 'accept')
  @Operation({
    id: 'getCheckpoint',
    summary: 'The signed tree head',
    description:
      'The log had treeSize entries with this root at this time. Check the Ed25519 signature over ' +
      '"lanterne-checkpoint\\n<treeSize>\\n<rootHash>\\n<timestamp>\\n" with a key you pinned, keep the checkpoint, and ask later ' +
      'for a consistency proof from it: the log can then not rewrite what you saw without you noticing. This is the latest ' +
      'checkpoint the service signed (it signs after appends, at most every few seconds): its treeSize may trail the log briefly. ' +
      'With Accept: text/plain, the same tree head as a C2SP checkpoint (c2sp.org/tlog-checkpoint): origin, size, base64 root, a blank line, ' +
      'the note signature of the ledger key (key name = origin) and the cosignature/v1 lines of the witnesses that cosigned it.',
    answer: CheckpointViewSchema,
    variants: [{ mediaType: 'text/plain', schema: CheckpointNoteSchema }],
  })
  async checkpoint(@Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<CheckpointView | string> {
    if (negotiate(accept, JSON_OR_TEXT) === 'text/plain') {
      void reply.type(TEXT);
      return this.cosigning.note();
    }
    return { ...(await this.checkpoints.latest()), ...this.checkpoints.publication() };
  }

  @Get('verifier-key')
  @Public()
  @Header('content-type', TEXT)
  @Operation({
    id: 'getLedgerVerifierKey',
    summary: 'The ledger key as a C2SP verifier key',
    description:
      'The ledger key as a signed-note verifier key, <origin>+<key id>+base64(0x01 ‖ Ed25519 key), for a note reader or witness to pin. ' +
      'It verifies the text/plain checkpoint.',
    answer: VerifierKeyTextSchema,
    mediaType: 'text/plain',
  })
  verifierKey(): string {
    return `${this.checkpoints.publication().verifierKey}\n`;
  }

  @Get('entries')
  @Roles('admin', 'ccj')
  @Operation({
    id: 'listLedgerEntries',
    summary: 'Read ledger entries',
    description:
      'Entries [start, end), at most 1000 per answer: ask again from the next index. Hash each leaf (SHA-256 of 0x00 and its UTF-8 bytes), build the RFC 6962 ' +
      'tree and compare its root with a signed checkpoint: a match proves these are exactly the entries that were signed. ' +
      'Personal values appear only as salted commitments. start after end is a 400; an end beyond the tree size is a 404.',
    answer: EntryListSchema,
    problems: [404],
  })
  entries(@Query() query: EntriesQueryDto): Promise<EntryView[]> {
    return this.reader.entries(query.start, query.end);
  }

  @Get('proofs/inclusion')
  @Public()
  @Operation({
    id: 'getInclusionProof',
    summary: 'Inclusion proof',
    description:
      'RFC 9162 inclusion proof: with the hash of an entry you were shown, proves it is leaf `index` of the tree whose root a ' +
      'checkpoint of size `treeSize` signed. Public, since it reveals only hashes. An index outside the tree is a 400; ' +
      'a size the log has not reached is a 404. With Accept: text/plain or format=tlog-proof, a C2SP tlog proof (c2sp.org/tlog-proof) to keep ' +
      'and check offline: index, the leaf hash as `extra`, the path in base64, and the checkpoint of treeSize leaves with its ' +
      'signatures; that form needs a checkpoint signed at exactly treeSize (404 otherwise, naming the latest size).',
    answer: InclusionProofSchema,
    variants: [{ mediaType: 'text/plain', schema: TlogProofTextSchema }],
    problems: [404],
  })
  async inclusion(@Query() query: InclusionQueryDto, @Headers('accept') accept: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<InclusionProofView | string> {
    const format = query.format ?? (negotiate(accept, JSON_OR_TEXT) === 'text/plain' ? 'tlog-proof' : 'json');
    void reply.header('vary', 'accept');
    if (format === 'json') return this.reader.inclusionProof(query.index, query.treeSize);
    void reply.type(TEXT);
    return this.cosigning.tlogProof(query.index, query.treeSize);
  }

  @Get('proofs/consistency')
  @Public()
  @Operation({
    id: 'getConsistencyProof',
    summary: 'Consistency proof',
    description:
      'RFC 9162 consistency proof: proves the tree of `first` leaves (a checkpoint you saved) is a prefix of the tree of ' +
      '`second` leaves (today’s checkpoint), i.e. nothing you saw was changed or removed since. Public: only hashes. ' +
      'first above second is a 400; a size the log has not reached is a 404.',
    answer: ConsistencyProofSchema,
    problems: [404],
  })
  consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofView> {
    return this.reader.consistencyProof(query.first, query.second);
  }

  @Get('verify')
  @Roles('admin', 'ccj')
  @Operation({
    id: 'verifyLedger',
    summary: 'Verify the whole log',
    description:
      'Recomputes the whole log from the stored leaf bytes: every leaf hash, every stored subtree hash that proofs are served ' +
      'from, and the root of every checkpoint ever signed (signatures checked). Names the first leaf that does not match; ' +
      'a log that does not verify is still a 200, with ok false.',
    answer: VerifyResultSchema,
  })
  verify(): Promise<VerifyResult> {
    return this.verifier.verify();
  }

  @Get('entries/:index/personal')
  @Roles('ccj')
  @Operation({
    id: 'getLedgerPersonalValues',
    summary: 'Personal values of an entry',
    description:
      'The personal values behind an entry’s commitments, with their salts, so that SHA-256(salt ‖ value) can be checked ' +
      'against the leaf (an entry’s typed purpose is one of them). Needs a purpose (400 without it); the read is itself recorded in the ledger. ' +
      'Erased values show only when they were erased. An index the log has not reached is a 404.',
    answer: PersonalValuesSchema,
    problems: [404],
  })
  personal(@Param() params: EntryIndexParamDto, @Query() query: PurposeQueryDto, @CurrentActor() actor: Actor): Promise<PersonalValuesView> {
    return this.personalValues.read(params.index, query, actor);
  }
}
