import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Public, Roles } from '../common/access';
import { CheckpointService } from './checkpoint.service';
import { LedgerReader } from './ledger-reader.service';
import { LedgerVerifier } from './ledger-verifier.service';
import {
  CheckpointDto,
  ConsistencyProofDto,
  ConsistencyQueryDto,
  EntriesQueryDto,
  EntryDto,
  EntryIndexParamDto,
  InclusionProofDto,
  InclusionQueryDto,
  PersonalValuesDto,
  PurposeQueryDto,
  VerifyResultDto,
} from './ledger.schemas';
import { PersonalValuesService } from './personal-values.service';

@ApiTags('ledger')
@Controller('ledger')
export class LedgerController {
  constructor(
    private readonly checkpoints: CheckpointService,
    private readonly reader: LedgerReader,
    private readonly verifier: LedgerVerifier,
    private readonly personalValues: PersonalValuesService,
  ) {}

  @Get('checkpoint')
  @Public()
  @ApiOperation({
    summary:
      'The signed tree head: the log had treeSize entries with this root at this time. Check the Ed25519 signature over ' +
      '"lanterne-checkpoint\\n<treeSize>\\n<rootHash>\\n<timestamp>\\n" with a key you pinned, keep the checkpoint, and ask later ' +
      'for a consistency proof from it: the log can then not rewrite what you saw without you noticing. This is the latest ' +
      'checkpoint the service signed (it signs after appends, at most every few seconds): its treeSize may trail the log briefly.',
  })
  @ApiResponse({ status: 200, type: CheckpointDto })
  checkpoint() {
    return this.checkpoints.latest();
  }

  @Get('entries')
  @Roles('admin', 'ccj')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Entries [start, end), at most 1000 per answer. Hash each leaf (SHA-256 of 0x00 and its UTF-8 bytes), build the RFC 6962 ' +
      'tree and compare its root with a signed checkpoint: a match proves these are exactly the entries that were signed. ' +
      'Personal values appear only as salted commitments.',
  })
  @ApiResponse({ status: 200, type: [EntryDto] })
  entries(@Query() query: EntriesQueryDto) {
    return this.reader.entries(query.start, query.end);
  }

  @Get('proofs/inclusion')
  @Public()
  @ApiOperation({
    summary:
      'RFC 9162 inclusion proof: with the hash of an entry you were shown, proves it is leaf `index` of the tree whose root a ' +
      'checkpoint of size `treeSize` signed. Public, since it reveals only hashes. A size the log has not reached is a 404.',
  })
  @ApiResponse({ status: 200, type: InclusionProofDto })
  inclusion(@Query() query: InclusionQueryDto) {
    return this.reader.inclusionProof(query.index, query.treeSize);
  }

  @Get('proofs/consistency')
  @Public()
  @ApiOperation({
    summary:
      'RFC 9162 consistency proof: proves the tree of `first` leaves (a checkpoint you saved) is a prefix of the tree of ' +
      '`second` leaves (today’s checkpoint), i.e. nothing you saw was changed or removed since. Public: only hashes.',
  })
  @ApiResponse({ status: 200, type: ConsistencyProofDto })
  consistency(@Query() query: ConsistencyQueryDto) {
    return this.reader.consistencyProof(query.first, query.second);
  }

  @Get('verify')
  @Roles('admin', 'ccj')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Recomputes the whole log from the stored leaf bytes: every leaf hash, every stored subtree hash that proofs are served ' +
      'from, and the root of every checkpoint ever signed (signatures checked). Names the first leaf that does not match.',
  })
  @ApiResponse({ status: 200, type: VerifyResultDto })
  verify() {
    return this.verifier.verify();
  }

  @Get('entries/:index/personal')
  @Roles('ccj')
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'The personal values behind an entry’s commitments, with their salts, so that SHA-256(salt ‖ value) can be checked ' +
      'against the leaf (an entry’s typed purpose is one of them). Needs a purpose; the read is itself recorded in the ledger. ' +
      'Erased values show only when they were erased.',
  })
  @ApiResponse({ status: 200, type: PersonalValuesDto })
  personal(@Param() params: EntryIndexParamDto, @Query() query: PurposeQueryDto, @CurrentActor() actor: Actor) {
    return this.personalValues.read(params.index, query, actor);
  }
}
