import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Actor, Roles } from '../common/access';
import { PaginationDto } from '../common/pagination';
import { TunnelPresetsService } from './tunnel-presets.service';
import { CreatePresetDto, PresetParamDto, PresetViewDto } from './tunnels.schemas';

@ApiTags('tunnels')
@ApiBearerAuth()
@Controller('tunnel-presets')
@Roles('technician', 'admin')
export class TunnelPresetsController {
  constructor(private readonly presets: TunnelPresetsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: "Name an operator's line (underlay MTU and usual layers) for reuse in tunnel settings." })
  @ApiResponse({ status: 201, type: PresetViewDto })
  create(@Body() body: CreatePresetDto, @CurrentActor() actor: Actor) {
    return this.presets.createPreset(body, actor);
  }

  @Get()
  @ApiOperation({ summary: 'List tunnel presets by name.' })
  list(@Query() query: PaginationDto) {
    return this.presets.listPresets(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tunnel preset, by its id or its name.' })
  @ApiResponse({ status: 200, type: PresetViewDto })
  get(@Param() params: PresetParamDto) {
    return this.presets.getPreset(params.id);
  }
}
