import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Roles } from '../common/access';
import { Operation } from '../openapi';
import { RouterExportService } from './router-export.service';
import { RouterFiles, RouterFilesSchema } from './tunnels.schemas';

@ApiTags('tunnels')
@Controller('tunnels/router-export')
@Roles('technician', 'admin')
export class RouterExportController {
  constructor(private readonly exports: RouterExportService) {}

  @Get('wireguard')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Operation({
    id: 'exportWireguardPeers',
    summary: "The WireGuard server's peers",
    description:
      "[Peer] sections for the association's WireGuard server, one per subscription with a registered public key and at least one block held now: " +
      'AllowedIPs lists every address and prefix it holds. A released block is gone from the next export. `lanterne export-router` writes the same to a file.',
    answer: z.string().describe('wg(8) configuration text: [Peer] sections only, to append to the server\'s [Interface].'),
    mediaType: 'text/plain',
  })
  wireguard(): Promise<string> {
    return this.exports.wireguardPeers();
  }

  @Get('openvpn')
  @Operation({
    id: 'exportOpenvpnClientConfigs',
    summary: "The OpenVPN server's client-config-dir",
    description:
      'One file per subscription with a signed certificate and at least one block held now, named by the certificate CN (the subscription id): ' +
      'ifconfig-push with its first IPv4 address and the netmask of its pool, iroute for its other IPv4 blocks, iroute-ipv6 for its IPv6 prefixes. `lanterne export-router` writes them to a directory.',
    answer: RouterFilesSchema,
  })
  async openvpn(): Promise<RouterFiles> {
    return { files: await this.exports.openvpnClientConfigs() };
  }
}
