import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { IdParamPipe } from '../common/id-param.pipe';
import { CpeLoansService } from '../cpe/cpe-loans.service';
import { CpeInventoryService } from '../cpe/cpe-inventory.service';
import { CpeViewSchema, ReturnCpeSchema } from '../cpe/cpe.schemas';
import { POSTAL_COUNTRIES } from '../identity/postal-codes';
import { VerificationMessages } from '../identity/verification-messages.service';
import { VerificationsService } from '../identity/verifications.service';
import { IpAllocationService } from '../ipam/ip-allocation.service';
import { IpAssignmentsService } from '../ipam/ip-assignments.service';
import { IpPoolsService } from '../ipam/ip-pools.service';
import { CreateSubscriptionSchema, SubscriberViewSchema } from '../subscribers/subscribers.schemas';
import { SubscribersService } from '../subscribers/subscribers.service';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { CARRIED_FAMILIES, LAYER_HEADERS, TUNNEL_LAYERS, TunnelMtu, TunnelMtuRequest } from '../tunnels/mtu';
import { TunnelsError, TunnelsErrorCode } from '../tunnels/tunnels.errors';
import { TunnelsService } from '../tunnels/tunnels.service';
import { Frame, Page } from './page-access';
import { pageLinks } from './page-links';
import { PageFrame, PageRenderer } from './page-renderer';
import { PAGES_PREFIX } from '../common/page-paths';
import {
  AddSubscriptionFormDto,
  AssignFormDto,
  CpeListFormDto,
  LettersPdfQueryDto,
  RegisterSubscriberFormDto,
  ReturnCpeFormDto,
  SubscriberSearchDto,
  TUNNEL_FORM_LAYERS,
  TunnelFormDto,
  VerificationFormDto,
} from './tech.schemas';
import { FormOnlyDto } from './web.schemas';

type PageRequest = FastifyRequest & { actor?: Actor };

/** Every subscription, pool or verification of one member fits on their page. */
const ALL = { limit: 500, offset: 0 };
const LIST_PAGE = 50;
/** What the tunnel form of a subscription without settings starts from: plain Ethernet, both families. */
const NEW_TUNNEL: TunnelMtuRequest = { underlayMtu: 1500, layers: [], carries: CARRIED_FAMILIES };

/** What the tunnel form of one subscription shows after a POST: what was typed, and its arithmetic or why it was refused. */
interface TunnelAttempt {
  subscriptionId: string;
  request: TunnelMtuRequest;
  computed?: TunnelMtu;
  problem?: string;
}

/**
 * The technicians' pages: members, their subscriptions, addresses, tunnels, devices and verifications,
 * from the same services and rules as the API (admins where the API admits them). Never an identity:
 * a verification shows its method and status only, and a letter's address is seen only by printing it.
 */
@Controller(PAGES_PREFIX)
export class TechPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly subscribers: SubscribersService,
    private readonly subscriptions: SubscriptionsService,
    private readonly pools: IpPoolsService,
    private readonly allocation: IpAllocationService,
    private readonly assignments: IpAssignmentsService,
    private readonly tunnels: TunnelsService,
    private readonly inventory: CpeInventoryService,
    private readonly loans: CpeLoansService,
    private readonly verifications: VerificationsService,
    private readonly letters: VerificationMessages,
    private readonly clock: Clock,
  ) {}

  @Get('tech')
  @Page('technician', 'admin')
  async search(@Frame() frame: PageFrame, @Query() query: SubscriberSearchDto): Promise<string> {
    const found = await this.subscribers.listSubscribers(query);
    return this.pages.render('tech/search', frame, {
      title: this.pages.text(frame.lang, 'tech.title'),
      query,
      searched: query.q !== undefined || query.status !== undefined,
      statuses: SubscriberViewSchema.shape.status.options.map((value) => ({ value, selected: value === query.status })),
      found,
      ...pageLinks('/tech', { q: query.q, status: query.status }, found),
    });
  }

  @Post('tech/subscribers')
  @HttpCode(200)
  @Page('technician', 'admin')
  async register(@Body() body: RegisterSubscriberFormDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    const { _csrf: _, ...input } = body;
    const subscriber = await this.subscribers.createSubscriber(input);
    void reply.redirect(`/tech/subscribers/${subscriber.id}`, 303);
    return undefined;
  }

  @Get('tech/subscribers/:id')
  @Page('technician', 'admin')
  subscriber(@Param('id', IdParamPipe) id: string, @Frame() frame: PageFrame): Promise<string> {
    return this.subscriberPage(frame, id);
  }

  @Post('tech/subscribers/:id/subscriptions')
  @HttpCode(200)
  @Page('technician', 'admin')
  async addSubscription(@Param('id', IdParamPipe) id: string, @Body() body: AddSubscriptionFormDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.subscriptions.createSubscription({ subscriberId: id, service: body.service });
    return backTo(reply, id);
  }

  @Post('tech/subscriptions/:id/ip-assignments')
  @HttpCode(200)
  @Page('technician', 'admin')
  async assign(@Param('id', IdParamPipe) subscriptionId: string, @Body() body: AssignFormDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.allocation.assign(subscriptionId, { poolId: body.poolId, prefix: body.prefix });
    return backTo(reply, (await this.subscriptions.getSubscription(subscriptionId)).subscriberId);
  }

  @Post('tech/ip-assignments/:id/release')
  @HttpCode(200)
  @Page('technician', 'admin')
  async release(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    const released = await this.assignments.release(id);
    return backTo(reply, (await this.subscriptions.getSubscription(released.subscriptionId)).subscriberId);
  }

  /**
   * Compute shows the arithmetic without storing; store keeps it, as PUT /subscriptions/:id/tunnel does.
   * A stack below a carried family's minimum comes back on the form with the service's reason (422).
   */
  @Post('tech/subscriptions/:id/tunnel')
  @HttpCode(200)
  @Page('technician', 'admin')
  async tunnel(
    @Param('id', IdParamPipe) subscriptionId: string,
    @Body() body: TunnelFormDto,
    @Frame() frame: PageFrame,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const { intent, ...request } = body;
    const { subscriberId } = await this.subscriptions.getSubscription(subscriptionId);
    try {
      if (intent === 'store') {
        await this.tunnels.setTunnel(subscriptionId, request);
        return backTo(reply, subscriberId);
      }
      return await this.subscriberPage(frame, subscriberId, { subscriptionId, request, computed: this.tunnels.compute(request) });
    } catch (error) {
      if (!(error instanceof TunnelsError && error.code === TunnelsErrorCode.MtuBelowMinimum)) throw error;
      reply.status(422);
      return this.subscriberPage(frame, subscriberId, { subscriptionId, request, problem: error.detail });
    }
  }

  @Post('tech/subscribers/:id/verifications')
  @HttpCode(200)
  @Page('technician', 'admin')
  async startVerification(
    @Param('id', IdParamPipe) id: string,
    @Body() body: VerificationFormDto,
    @Req() request: PageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<undefined> {
    await this.verifications.start(id, body, request.actor as Actor);
    return backTo(reply, id);
  }

  /** The identity context's letter, streamed as it is printed (and ledgered there); technicians only, as in the API. */
  @Get('tech/verifications/:id/letter.pdf')
  @Page('technician')
  async letter(@Param('id', IdParamPipe) id: string, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const pdf = await this.letters.letterPdf(id, request.actor as Actor);
    void reply.header('Content-Type', 'application/pdf');
    return pdf;
  }

  @Get('tech/cpe')
  @Page('technician', 'admin')
  async cpe(@Frame() frame: PageFrame, @Query() query: CpeListFormDto): Promise<string> {
    const [inventory, toCollect] = await Promise.all([this.inventory.listCpe(query), this.loans.toCollect({ limit: 500, offset: 0 })]);
    return this.pages.render('tech/cpe', frame, {
      title: this.pages.text(frame.lang, 'tech.cpe.title'),
      statuses: CpeViewSchema.shape.status.options.map((value) => ({ value, selected: value === query.status })),
      conditions: ReturnCpeSchema.shape.condition.options,
      inventory,
      toCollect,
      ...pageLinks('/tech/cpe', { status: query.status }, inventory),
    });
  }

  @Post('tech/cpe/:id/return')
  @HttpCode(200)
  @Page('technician', 'admin')
  async returnCpe(@Param('id', IdParamPipe) id: string, @Body() body: ReturnCpeFormDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.loans.takeBack(id, body.condition, request.actor as Actor);
    void reply.redirect('/tech/cpe', 303);
    return undefined;
  }

  @Get('tech/letters')
  @Page('technician')
  async lettersPage(@Frame() frame: PageFrame): Promise<string> {
    const today = startOfUtcDay(this.clock.now());
    const [todays, pending] = await Promise.all([this.letters.pendingLetterCount(today), this.letters.pendingLetterCount()]);
    return this.pages.render('tech/letters', frame, {
      title: this.pages.text(frame.lang, 'tech.letters.title'),
      todays,
      pending,
      todaysPdf: `/tech/letters.pdf?${new URLSearchParams({ since: today.toISOString() })}`,
    });
  }

  @Get('tech/letters.pdf')
  @Page('technician')
  async lettersPdf(@Query() query: LettersPdfQueryDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const pdf = await this.letters.pendingLettersPdf(request.actor as Actor, query.since);
    void reply.header('Content-Type', 'application/pdf');
    return pdf;
  }

  private async subscriberPage(frame: PageFrame, id: string, attempt?: TunnelAttempt): Promise<string> {
    const subscriber = await this.subscribers.getSubscriber(id);
    const [subscriptions, pools, verifications] = await Promise.all([
      this.subscriptions.listSubscriptions({ ...ALL, subscriberId: id }),
      this.pools.listPools(ALL),
      this.verifications.listOf(id, { limit: LIST_PAGE, offset: 0 }),
    ]);
    const blocks = await Promise.all(
      subscriptions.items.map(async (subscription) => {
        const active = subscription.status === 'active';
        const [assignments, stored] = await Promise.all([this.assignments.listCurrent(subscription.id, ALL), this.storedTunnel(subscription.id)]);
        const mine = attempt?.subscriptionId === subscription.id ? attempt : undefined;
        const shown = mine?.computed ?? (mine?.problem ? undefined : stored);
        const request = mine?.request ?? (stored && { underlayMtu: stored.underlayMtu, layers: stored.layers.map((layer) => layer.name), carries: stored.carries }) ?? NEW_TUNNEL;
        return {
          ...subscription,
          startsAt: subscription.startsAt.toISOString(),
          endsAt: subscription.endsAt?.toISOString() ?? null,
          active,
          assignments: assignments.items,
          tunnel: {
            form: tunnelFormFields(subscription.id, request),
            arithmetic: shown && arithmeticOf(request.underlayMtu, shown),
            computedNow: mine?.computed !== undefined,
            stored: stored !== undefined,
            problem: mine?.problem,
          },
        };
      }),
    );
    const cpe = await this.loans.lentTo(subscriptions.items.map((s) => s.id));
    const views = await Promise.all(verifications.items.map((v) => this.verifications.view(v)));
    return this.pages.render('tech/subscriber', frame, {
      title: this.pages.text(frame.lang, 'tech.subscriber.title', { number: subscriber.memberNumber }),
      subscriber,
      terminated: subscriber.status === 'terminated',
      subscriptions: blocks,
      services: CreateSubscriptionSchema.shape.service.options,
      pools: pools.items,
      cpe,
      verifications: views.map((v) => ({ ...v, printable: v.method === 'postal' && v.status === 'sent' })),
      countries: POSTAL_COUNTRIES,
      printsLetters: frame.holder?.roles.includes('technician') ?? false,
    });
  }

  /** The stored tunnel settings, or undefined when the subscription has none yet. */
  private async storedTunnel(subscriptionId: string) {
    try {
      return await this.tunnels.getTunnel(subscriptionId);
    } catch (error) {
      if (error instanceof TunnelsError && error.code === TunnelsErrorCode.TunnelNotConfigured) return undefined;
      throw error;
    }
  }
}

function backTo(reply: FastifyReply, subscriberId: string): undefined {
  void reply.redirect(`/tech/subscribers/${subscriberId}`, 303);
  return undefined;
}

function startOfUtcDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

/** The tunnel form's fields, holding `request`: numbered layer selects (and empty ones to add more), a checkbox per family. */
function tunnelFormFields(subscriptionId: string, request: TunnelMtuRequest) {
  return {
    underlayMtu: request.underlayMtu,
    layers: Array.from({ length: TUNNEL_FORM_LAYERS }, (_, i) => ({
      name: `layer${i + 1}`,
      id: `layer-${subscriptionId}-${i + 1}`,
      position: i + 1,
      options: TUNNEL_LAYERS.map((value) => ({ value, bytes: LAYER_HEADERS[value].bytes, selected: request.layers[i] === value })),
    })),
    carries: CARRIED_FAMILIES.map((family) => ({ family, name: `carry-${family}`, id: `carry-${subscriptionId}-${family}`, checked: request.carries.includes(family) })),
  };
}

/** The layer arithmetic as the tunnels service computed it: each layer and its bytes, their sum, the inner MTU and the MSS. */
function arithmeticOf(underlayMtu: number, mtu: TunnelMtu) {
  return { underlayMtu, layers: mtu.layers, overhead: mtu.overhead, innerMtu: mtu.innerMtu, mssIpv4: mtu.mssIpv4, mssIpv6: mtu.mssIpv6, warnings: mtu.warnings };
}
