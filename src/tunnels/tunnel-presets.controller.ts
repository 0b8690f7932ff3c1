import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Actor, Roles } from '../common/access';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import { TunnelPresetsService } from './tunnel-presets.service';
import { CreatePresetDto, PresetPageSchema, PresetParamDto, PresetView, PresetViewSchema } from './tunnels.schemas';

@ApiTags('tunnels')
@Controller('tunnel-presets')
@Roles('technician', 'admin')
export class TunnelPresetsController {
  constructor(private readonly presets: TunnelPresetsService) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'createTunnelPreset',
    summary: 'Create a tunnel preset',
    description: "Names an operator's line (underlay MTU and usual layers) for reuse in tunnel settings. A name already taken is a 409.",
    answer: PresetViewSchema,
    problems: [409],
  })
  create(@Body() body: CreatePresetDto, @CurrentActor() actor: Actor): Promise<PresetView> {
    return this.presets.createPreset(body, actor);
  }

  @Get()
  @Operation({ id: 'listTunnelPresets', summary: 'List tunnel presets', description: 'Tunnel presets by name.', answer: PresetPageSchema })
  list(@Query() query: PaginationDto): Promise<Page<PresetView>> {
    return this.presets.listPresets(query);
  }

  @Get(':id')
  @Operation({ id: 'getTunnelPreset', summary: 'Get a tunnel preset', description: 'One tunnel preset, by its id or its name.', answer: PresetViewSchema })
  get(@Param() params: PresetParamDto): Promise<PresetView> {
    return this.presets.getPreset(params.id);
  }
}
