import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
import { AccreditationDto, AddMemberDto, MemberList, MemberListSchema, MemberView, MemberViewSchema } from './consensus.schemas';
import { CirclesService } from './circles.service';

/** An admin manages who is in a circle; the ccj sees its own. */
@ApiTags('circles')
@Controller('circles/:name/members')
export class CirclesController {
  constructor(private readonly circles: CirclesService) {}

  @Get()
  @Roles('admin', 'ccj')
  @Operation({
    id: 'listCircleMembers',
    summary: "A circle's current members",
    description: 'The current members of `ccj` or `board`, oldest first; a ccj member with the dates and authority of their accreditation, and whether it has expired.',
    answer: MemberListSchema,
    problems: [404],
  })
  list(@Param('name') name: string): Promise<MemberList> {
    return this.circles.members(name);
  }

  @Post()
  @HttpCode(201)
  @Roles('admin')
  @Operation({
    id: 'addCircleMember',
    summary: 'Add a member to a circle',
    description:
      'Adds an account to the circle, recorded in the ledger. The ccj circle takes only accounts with the ccj role, each with its accreditation; ' +
      'an account already in the circle is a 409, an unknown or revoked one a 404.',
    answer: MemberViewSchema,
    problems: [404, 409, 422],
  })
  add(@Param('name') name: string, @Body() body: AddMemberDto, @CurrentActor() actor: Actor): Promise<MemberView> {
    return this.circles.addMember(name, body, actor);
  }

  @Put(':accountId/accreditation')
  @Roles('admin')
  @Operation({
    id: 'renewAccreditation',
    summary: "Renew a ccj member's accreditation",
    description:
      'Records a new accreditation for a current ccj member: the membership in force ends and a new one begins with it, so every accreditation stays as history; ' +
      'recorded in the ledger. Only the ccj circle (another name is a 404); someone not in it is a 404.',
    answer: MemberViewSchema,
    problems: [404, 422],
  })
  renew(@Param('name') name: string, @Param('accountId', IdParamPipe) accountId: string, @Body() body: AccreditationDto, @CurrentActor() actor: Actor): Promise<MemberView> {
    return this.circles.renewAccreditation(name, accountId, body, actor);
  }

  @Delete(':accountId')
  @HttpCode(204)
  @Roles('admin')
  @Operation({
    id: 'removeCircleMember',
    summary: 'End a membership',
    description: 'The member leaves the circle; the membership is kept as history and the change recorded in the ledger. Someone not in the circle is a 404.',
    answer: null,
    problems: [404],
  })
  async remove(@Param('name') name: string, @Param('accountId', IdParamPipe) accountId: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.circles.removeMember(name, accountId, actor);
  }
}
