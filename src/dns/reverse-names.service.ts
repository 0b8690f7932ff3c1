import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { parseHostname } from '../common/hostname';
import { iso } from '../common/schemas';
import { Page, Pagination } from '../common/pagination';
import { AssignmentReleaseHandlers, ReleasedAssignment } from '../ipam/assignment-release-handlers';
import { addressToPrefix, Prefix } from '../ipam/cidr';
import { IpAssignmentsService } from '../ipam/ip-assignments.service';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { DnsError, DnsErrorCode, invalidField } from './dns.errors';
import { ReverseNameHistoryView, ReverseNameView, SetReverseNameInput, SetReverseNameView } from './dns.schemas';
import { clearName, clearNamesOfAssignment, insertName, lockCurrentName, namesOfSubscription, ReverseNameHistoryRow, ReverseNameRow } from './dns.store';
import { ForwardCheck } from './forward-check';
import { ReverseZonesService } from './reverse-zones.service';

/**
 * PTR names on the addresses a subscription holds: set, replace, clear, each change kept as history
 * (a row per name, current until cleared) and told to the routers. A release clears the block's
 * names in its own transaction (the `dns.clear-reverse-names` release handler).
 */
@Injectable()
export class ReverseNamesService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionsService,
    private readonly assignments: IpAssignmentsService,
    private readonly releaseHandlers: AssignmentReleaseHandlers,
    private readonly zones: ReverseZonesService,
    private readonly provisioning: ProvisioningService,
    private readonly forwardCheck: ForwardCheck,
  ) {}

  onModuleInit(): void {
    this.releaseHandlers.register('dns.clear-reverse-names', (em, released) => this.clearReleased(em, released));
  }

  async set(actor: Actor, subscriptionId: string, input: SetReverseNameInput): Promise<SetReverseNameView> {
    const address = parseAddress(input.address);
    const parsed = parseHostname(input.name);
    if (!parsed.ok) throw invalidField(DnsErrorCode.InvalidHostname, 'name', parsed.reason);
    const { row, zone } = await this.dataSource.transaction(async (em) => {
      const block = await this.lockHeldBlock(em, actor, subscriptionId, address);
      const zone = this.zones.zoneFor(block.poolPrefix, address).name;
      const current = await lockCurrentName(em, address.text);
      // Setting the name it already has changes nothing: no history row, no serial, no webhook.
      if (current?.name === parsed.name) return { row: current, zone };
      const now = this.clock.now();
      if (current) await clearName(em, current.id, now, 'replaced');
      const inserted = await insertName(em, { assignmentId: block.id, assignmentPrefix: block.prefix, address: address.text, name: parsed.name, at: now, setBy: actor.id });
      await this.zones.bumpSerial(em, zone);
      await this.recordPtrChange(em, subscriptionId, block.id, inserted.address, parsed.name);
      return { row: inserted, zone };
    });
    return { ...toView(row), zone, forwardConfirmed: await this.forwardCheck.confirm(parsed.name, address) };
  }

  async clear(actor: Actor, subscriptionId: string, addressText: string): Promise<void> {
    const address = parseAddress(addressText);
    await this.dataSource.transaction(async (em) => {
      const block = await this.lockHeldBlock(em, actor, subscriptionId, address);
      const current = await lockCurrentName(em, address.text);
      if (!current) throw new DnsError(DnsErrorCode.NoReverseName, `${hostOf(address)} has no PTR name.`);
      await clearName(em, current.id, this.clock.now(), 'cleared');
      await this.zones.bumpSerial(em, this.zones.zoneFor(block.poolPrefix, address).name);
      await this.recordPtrChange(em, subscriptionId, block.id, current.address, null);
    });
  }

  async list(actor: Actor, subscriptionId: string, page: Pagination): Promise<Page<ReverseNameView>> {
    await this.authorise(this.dataSource.manager, actor, subscriptionId);
    const { rows, total } = await namesOfSubscription(this.dataSource.manager, subscriptionId, { ...page, history: false });
    return { items: rows.map(toView), total, ...page };
  }

  /** Every name the subscription's addresses have had, newest first, while their assignments are retained. */
  async history(actor: Actor, subscriptionId: string, page: Pagination): Promise<Page<ReverseNameHistoryView>> {
    await this.authorise(this.dataSource.manager, actor, subscriptionId);
    const { rows, total } = await namesOfSubscription(this.dataSource.manager, subscriptionId, { ...page, history: true });
    return { items: rows.map(toHistoryView), total, ...page };
  }

  /** The block's names go with it; routers learn the release itself (assignment.released), which takes its names along. */
  private async clearReleased(em: EntityManager, released: ReleasedAssignment): Promise<void> {
    const addresses = await clearNamesOfAssignment(em, released.id, this.clock.now());
    const zones = new Set(addresses.map((text) => this.zones.zoneFor(released.poolPrefix, parseAddress(text)).name));
    for (const zone of zones) await this.zones.bumpSerial(em, zone);
  }

  /** The block of the subscription that holds the address now, locked so that it is not released meanwhile; else a 409. */
  private async lockHeldBlock(em: EntityManager, actor: Actor, subscriptionId: string, address: Prefix) {
    await this.authorise(em, actor, subscriptionId);
    const block = await this.assignments.lockCurrentBlockCovering(em, subscriptionId, address.text);
    if (!block) {
      throw new DnsError(DnsErrorCode.AddressNotHeld, `Subscription ${subscriptionId} holds no block containing ${hostOf(address)} now: a PTR name goes only on an address it holds.`);
    }
    return block;
  }

  /** Technicians and admins reach every subscription; a member only their own subscriber's. */
  private async authorise(em: EntityManager, actor: Actor, subscriptionId: string): Promise<void> {
    const subscription = await this.subscriptions.getSubscription(subscriptionId, em);
    if (actor.role === 'member' && subscription.subscriberId !== actor.subscriberId) {
      throw new DnsError(DnsErrorCode.NotYourSubscription, 'A member sets PTR names on their own subscriptions only.');
    }
  }

  private recordPtrChange(em: EntityManager, subscriptionId: string, assignmentId: string, address: string, ptr: string | null): Promise<void> {
    return this.provisioning.recordChange(em, { kind: 'ptr.changed', subscriptionId, details: { assignmentId, address, ptr } });
  }
}

function parseAddress(text: string): Prefix {
  const parsed = addressToPrefix(text);
  if (!parsed.ok) throw invalidField(DnsErrorCode.InvalidAddress, 'address', parsed.reason);
  return parsed.prefix;
}

function hostOf(address: Prefix): string {
  return address.text.slice(0, address.text.lastIndexOf('/'));
}

function toView(row: ReverseNameRow): ReverseNameView {
  return { address: row.address, name: row.name, assignmentId: row.assignment_id, setAt: iso(row.set_at) as string };
}

function toHistoryView(row: ReverseNameHistoryRow): ReverseNameHistoryView {
  return { ...toView(row), clearedAt: iso(row.cleared_at), clearedBecause: row.cleared_because };
}
