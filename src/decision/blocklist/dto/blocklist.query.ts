import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { BLOCKLIST_FORMATS, BlocklistFormat, DEFAULT_SET_NAME, SET_NAME } from '../blocklist';

export class BlocklistQuery {
  @ApiPropertyOptional({
    enum: BLOCKLIST_FORMATS,
    default: 'plain',
    description:
      'plain: one address or CIDR a line; nginx: `deny …;`; ipset: `add <set> …` for `ipset restore -exist`.',
  })
  @IsOptional()
  @IsIn(BLOCKLIST_FORMATS, { message: `format must be one of ${BLOCKLIST_FORMATS.join(', ')}` })
  format: BlocklistFormat = 'plain';

  @ApiPropertyOptional({
    default: DEFAULT_SET_NAME,
    example: 'edge-block',
    description: 'ipset name for IPv4 (1-30 of A-Z a-z 0-9 _ -); IPv6 goes to the same name plus `6`.',
  })
  @IsOptional()
  @Matches(SET_NAME, { message: 'set must be 1-30 letters, digits, _ or -' })
  set: string = DEFAULT_SET_NAME;
}
