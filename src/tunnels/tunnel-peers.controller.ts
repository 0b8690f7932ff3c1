import { Body, Controller, Delete, Get, HttpCode, Param, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Operation } from '../openapi';
import { TunnelPeersService } from './tunnel-peers.service';
import { PeerView, PeerViewSchema, RegisterPeerDto } from './tunnels.schemas';

const NEVER_PRIVATE =
  'Lanterne never generates, receives or stores a member\'s private key: the member makes the key pair on the CPE, at home, and only its public part (a WireGuard public key, or an OpenVPN certificate request) comes here.';

@ApiTags('tunnels')
@Controller('subscriptions/:id/tunnel/peer')
@Roles('technician', 'admin')
export class TunnelPeersController {
  constructor(private readonly peers: TunnelPeersService) {}

  @Put()
  @Operation({
    id: 'registerTunnelPeer',
    summary: "Register a subscription's CPE for its tunnel",
    description:
      `${NEVER_PRIVATE} Registers (or replaces) the CPE of an active subscription: {type: "wireguard", publicKey} or {type: "openvpn", csr}. ` +
      "An OpenVPN request is verified (its self-signature) and signed by the association's CA as a TLS client certificate whose CN is the subscription id; the certificate is stored and returned. " +
      'A malformed key or request is a 400 naming the field; a WireGuard key registered for another subscription is a 409, as is an ended subscription or an OpenVPN request on an instance without a CA. ' +
      'The change reaches the routers through the provisioning feed (peer.changed).',
    answer: PeerViewSchema,
    problems: [409],
  })
  register(@Param('id', IdParamPipe) subscriptionId: string, @Body() body: RegisterPeerDto, @CurrentActor() actor: Actor): Promise<PeerView> {
    return this.peers.register(subscriptionId, body, actor);
  }

  @Get()
  @Operation({
    id: 'getTunnelPeer',
    summary: "A subscription's registered CPE",
    description: `${NEVER_PRIVATE} The public key or certificate registered for the subscription; none registered is a 404.`,
    answer: PeerViewSchema,
  })
  get(@Param('id', IdParamPipe) subscriptionId: string): Promise<PeerView> {
    return this.peers.getPeer(subscriptionId);
  }

  @Delete()
  @HttpCode(204)
  @Operation({
    id: 'removeTunnelPeer',
    summary: "Forget a subscription's CPE",
    description: 'For a lost or replaced CPE: the routers drop the peer at their next export (peer.changed in the provisioning feed). None registered is a 404.',
    answer: null,
  })
  async remove(@Param('id', IdParamPipe) subscriptionId: string): Promise<void> {
    await this.peers.remove(subscriptionId);
  }
}
