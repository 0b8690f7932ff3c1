import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { PG_UNIQUE_VIOLATION, pgConstraint, pgErrorCode } from '../common/database-errors';
import { findOrFail } from '../common/find-or-fail';
import { Page } from '../common/pagination';
import { CpeLoan } from './cpe-loan.entity';
import { CpeMacAddress } from './cpe-mac-address.entity';
import { Cpe } from './cpe.entity';
import { CpeError, CpeErrorCode } from './cpe.errors';
import { CpeView, CreateCpeInput, ListCpeQuery } from './cpe.schemas';

/** The devices themselves: registration, identity (serial, MACs) and where each one is now. */
@Injectable()
export class CpeInventoryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async createCpe(input: CreateCpeInput): Promise<CpeView> {
    try {
      return await this.dataSource.transaction(async (em) => {
        const cpe = await em.getRepository(Cpe).save({ model: input.model, serial: input.serial, status: 'in_stock' });
        await em.getRepository(CpeMacAddress).insert(input.macAddresses.map((mac, position) => ({ mac, cpeId: cpe.id, position })));
        return (await this.views(em, [cpe]))[0];
      });
    } catch (error) {
      if (pgErrorCode(error) !== PG_UNIQUE_VIOLATION) throw error;
      if (pgConstraint(error) === 'cpe_serial_key') throw new CpeError(CpeErrorCode.SerialTaken, `Serial ${input.serial} is already in the inventory.`);
      const taken: { mac: string }[] = await this.dataSource.query(`SELECT mac::text FROM cpe_mac_addresses WHERE mac = ANY($1::macaddr[]) ORDER BY position`, [input.macAddresses]);
      const macs = taken.map((row) => row.mac);
      throw new CpeError(CpeErrorCode.MacTaken, `MAC address ${macs.join(', ')} is already in the inventory.`, { macAddresses: macs });
    }
  }

  async getCpe(id: string, em: EntityManager = this.dataSource.manager): Promise<CpeView> {
    return (await this.views(em, [await this.find(em, id)]))[0];
  }

  async listCpe(query: ListCpeQuery): Promise<Page<CpeView>> {
    const { limit, offset, status } = query;
    const [cpes, total] = await this.dataSource.getRepository(Cpe).findAndCount({
      where: status ? { status } : {},
      order: { createdAt: 'ASC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: await this.views(this.dataSource.manager, cpes), total, limit, offset };
  }

  /** The device, locked against a concurrent loan or return until the caller commits. */
  async find(em: EntityManager, id: string, forUpdate = false): Promise<Cpe> {
    return findOrFail(em, Cpe, id, () => new CpeError(CpeErrorCode.CpeNotFound, `No CPE ${id}.`), forUpdate ? 'pessimistic_write' : undefined);
  }

  async views(em: EntityManager, cpes: Cpe[]): Promise<CpeView[]> {
    const ids = cpes.map((cpe) => cpe.id);
    const macs = ids.length ? await em.getRepository(CpeMacAddress).find({ where: { cpeId: In(ids) }, order: { position: 'ASC' } }) : [];
    const loans = ids.length ? await em.getRepository(CpeLoan).find({ where: { cpeId: In(ids), returnedAt: IsNull() } }) : [];
    return cpes.map((cpe) => {
      const loan = loans.find((l) => l.cpeId === cpe.id);
      return {
        id: cpe.id,
        model: cpe.model,
        serial: cpe.serial,
        macAddresses: macs.filter((m) => m.cpeId === cpe.id).map((m) => m.mac),
        status: cpe.status,
        subscriptionId: loan?.subscriptionId ?? null,
        assignedAt: loan?.assignedAt.toISOString() ?? null,
        toCollect: loan?.subscriptionEndedAt != null,
      };
    });
  }
}
