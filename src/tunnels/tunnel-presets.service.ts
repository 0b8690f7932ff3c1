import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/access';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../common/database-errors';
import { Page, Pagination } from '../common/pagination';
import { overheadOf } from './mtu';
import { TunnelPreset } from './tunnel-preset.entity';
import { TunnelsError, TunnelsErrorCode } from './tunnels.errors';
import { CreatePresetInput, isPresetId, PresetView } from './tunnels.schemas';

/** Named operator lines that technicians create once and reuse for every tunnel over them. */
@Injectable()
export class TunnelPresetsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createPreset(input: CreatePresetInput, actor: Actor): Promise<PresetView> {
    try {
      const preset = await this.dataSource.getRepository(TunnelPreset).save({
        name: input.name,
        description: input.description ?? null,
        underlayMtu: input.underlayMtu,
        layers: input.layers,
        createdBy: actor.id,
      });
      return toPresetView(preset);
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new TunnelsError(TunnelsErrorCode.PresetNameTaken, `A tunnel preset is already named "${input.name}".`);
      throw error;
    }
  }

  async listPresets(page: Pagination): Promise<Page<PresetView>> {
    const [presets, total] = await this.dataSource.getRepository(TunnelPreset).findAndCount({ order: { name: 'ASC' }, take: page.limit, skip: page.offset });
    return { items: presets.map(toPresetView), total, ...page };
  }

  async getPreset(reference: string): Promise<PresetView> {
    return toPresetView(await this.findPreset(this.dataSource.manager, reference));
  }

  /** By id, or by name for a reference that is not a UUID; a name matches as written. */
  async findPreset(em: EntityManager, reference: string): Promise<TunnelPreset> {
    const preset = await em.getRepository(TunnelPreset).findOneBy(isPresetId(reference) ? { id: reference } : { name: reference });
    if (!preset) throw new TunnelsError(TunnelsErrorCode.PresetNotFound, `No tunnel preset ${JSON.stringify(reference)}.`);
    return preset;
  }
}

function toPresetView(preset: TunnelPreset): PresetView {
  return {
    id: preset.id,
    name: preset.name,
    description: preset.description,
    underlayMtu: preset.underlayMtu,
    layers: preset.layers,
    overhead: overheadOf(preset.layers),
    createdAt: preset.createdAt.toISOString(),
  };
}
