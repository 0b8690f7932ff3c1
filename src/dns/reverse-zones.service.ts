import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { Page, Pagination } from '../common/pagination';
import { APP_CONFIG, AppConfig } from '../config/config';
import { addressToPrefix, parsePrefix, Prefix } from '../ipam/cidr';
import { IpPoolsService } from '../ipam/ip-pools.service';
import { DnsError, DnsErrorCode } from './dns.errors';
import { ZoneView } from './dns.schemas';
import { bumpSerial, currentNamesWithin, serialsOf } from './dns.store';
import { normaliseZoneName, renderZone, ReverseZone, reverseZonesOf, SoaSettings, soaMailbox, zoneOf } from './reverse-zones';

/** SOA timers (seconds): RFC 1912 §2.2's advice for zones that change now and then. */
const TIMERS = { ttl: 3600, refresh: 3600, retry: 900, expire: 1_209_600, negativeTtl: 3600 };
/** The serial of a zone that never changed. */
const FIRST_SERIAL = 1;

interface PoolZone extends ReverseZone {
  poolId: string;
}

/** The reverse zones of every pool, and their zone files. */
@Injectable()
export class ReverseZonesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly pools: IpPoolsService,
  ) {}

  async listZones(page: Pagination): Promise<Page<ZoneView>> {
    const zones = await this.allZones();
    const items = zones.slice(page.offset, page.offset + page.limit);
    const serials = await serialsOf(this.dataSource.manager, items.map((zone) => zone.name));
    return {
      items: items.map((zone) => ({ zone: zone.name, kind: zone.kind, prefix: zone.prefix.text, poolId: zone.poolId, serial: serials.get(zone.name) ?? FIRST_SERIAL })),
      total: zones.length,
      ...page,
    };
  }

  async zoneFile(requested: string): Promise<string> {
    const name = normaliseZoneName(requested);
    const zone = (await this.allZones()).find((candidate) => candidate.name === name);
    if (!zone) throw new DnsError(DnsErrorCode.ZoneNotFound, `No pool has the reverse zone ${name}; GET /dns/zones lists them.`);
    const { nameservers } = this.config.dns;
    if (nameservers.length === 0) {
      throw new DnsError(DnsErrorCode.NameserversNotConfigured, 'No name servers are configured (LANTERNE_DNS_NAMESERVERS): a zone needs its NS records.');
    }
    // One snapshot, so that the serial matches the records it is served with.
    return this.dataSource.transaction('REPEATABLE READ', async (tx) => {
      const serial = (await serialsOf(tx, [zone.name])).get(zone.name) ?? FIRST_SERIAL;
      const records = (await currentNamesWithin(tx, zone.prefix.text)).map((row) => ({ address: hostPrefix(row.address), name: row.name }));
      const soa: SoaSettings = { ...TIMERS, serial, nameservers, contact: soaMailbox(this.config.dns.soaContact ?? defaultContact(nameservers[0])) };
      return renderZone(zone, soa, records);
    });
  }

  /** The zone of a pool that holds an address's PTR record. */
  zoneFor(poolPrefix: string, address: Prefix): ReverseZone {
    const zone = zoneOf(reverseZonesOf(storedPrefix(poolPrefix)), address);
    if (!zone) throw new Error(`${address.text} is outside pool ${poolPrefix}`);
    return zone;
  }

  /** Every change of a zone's records bumps its serial, in the change's transaction. */
  async bumpSerial(em: EntityManager, zone: string): Promise<void> {
    const now = this.clock.now();
    const day = Number(now.toISOString().slice(0, 10).replaceAll('-', ''));
    await bumpSerial(em, zone, day * 100, now);
  }

  private async allZones(): Promise<PoolZone[]> {
    const pools = await this.pools.allRecords(this.dataSource.manager);
    pools.sort((a, b) => a.name.localeCompare(b.name));
    return pools.flatMap((pool) => reverseZonesOf(pool.pool.prefix).map((zone) => ({ ...zone, poolId: pool.id })));
  }
}

/** hostmaster at the domain of the first name server (ns1.example.org → hostmaster.example.org). */
function defaultContact(nameserver: string): string {
  return `hostmaster.${nameserver.slice(nameserver.indexOf('.') + 1)}`;
}

function storedPrefix(text: string): Prefix {
  const parsed = parsePrefix(text);
  if (!parsed.ok) throw new Error(`stored prefix ${text}: ${parsed.reason}`);
  return parsed.prefix;
}

function hostPrefix(text: string): Prefix {
  const parsed = addressToPrefix(text);
  if (!parsed.ok) throw new Error(`stored address ${text}: ${parsed.reason}`);
  return parsed.prefix;
}
