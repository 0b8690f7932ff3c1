import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/access';
import { PG_UNIQUE_VIOLATION, pgErrorCode } from '../common/database-errors';
import { findOrFail } from '../common/find-or-fail';
import { Page, Pagination } from '../common/pagination';
import { overheadOf, TunnelLayer } from './mtu';
import { TunnelPreset } from './tunnel-preset.entity';
import { TunnelsError, TunnelsErrorCode } from './tunnels.errors';
import { CreatePresetInput } from './tunnels.schemas';

export interface PresetView {
  id: string;
  name: string;
  description: string | null;
  underlayMtu: number;
  layers: TunnelLayer[];
  overhead: number;
  createdAt: string;
}

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

  async getPreset(id: string): Promise<PresetView> {
    return toPresetView(await this.findPreset(this.dataSource.manager, id));
  }

  async findPreset(em: EntityManager, id: string): Promise<TunnelPreset> {
    return findOrFail(em, TunnelPreset, id, () => new TunnelsError(TunnelsErrorCode.PresetNotFound, `No tunnel preset ${id}.`));
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
