import { Controller, Get, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { BlocklistService } from './blocklist.service';
import { BlocklistQuery } from './dto/blocklist.query';

@ApiTags('decisions')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'SOC_ADMIN_TOKEN is set and the request does not carry it.' })
@RequiresCredential('admin')
@SkipThrottle()
@Controller('decisions')
export class BlocklistController {
  constructor(private readonly blocklists: BlocklistService) {}

  @Get('blocklist')
  @ApiOperation({
    summary: 'The bans in force as a file for a firewall or proxy',
    description:
      'Active bans only (no alert, monitor or allow), nothing a manual allow covers, each address or CIDR once. ' +
      'Examples: `GET /decisions/blocklist` → `203.0.113.7`; `?format=nginx` → `deny 203.0.113.7;`; ' +
      '`?format=ipset&set=edge` → `add edge 203.0.113.7` and `add edge6 2001:db8::7` (create both sets as ' +
      '`hash:net`, the second with `family inet6`, then `ipset restore -exist`).',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'One entry a line.',
    schema: { type: 'string', example: '198.51.100.0/24\n203.0.113.7\n' },
  })
  @ApiBadRequestResponse({ description: 'An unknown format, or a bad set name.' })
  async blocklist(@Query() query: BlocklistQuery, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const body = await this.blocklists.render(query.format, query.set);
    void reply.type('text/plain; charset=utf-8').header('cache-control', 'no-store');
    return body;
  }
}
