import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MAX_IP_TEXT_LENGTH } from '../../../domain/ip';
import { DecisionViewDto } from '../../../common/dto/decision-view.dto';
import { DecisionChangeDto } from './decision-change.dto';

export const MANUAL_ACTIONS = ['block', 'allow'] as const;
export type ManualAction = (typeof MANUAL_ACTIONS)[number];

export class ManualDecisionDto extends DecisionChangeDto {
  @ApiProperty({ enum: MANUAL_ACTIONS, example: 'block' })
  @IsIn(MANUAL_ACTIONS)
  action!: ManualAction;

  @ApiProperty({
    example: '203.0.113.7',
    description:
      'An address in any spelling, or a CIDR with no host bits set (`203.0.113.0/24`); the scope (ip or range) follows. At most /8 (IPv4) or /32 (IPv6) wide.',
  })
  @IsString()
  @MaxLength(MAX_IP_TEXT_LENGTH + 4)
  value!: string;

  @ApiProperty({
    example: '4h',
    description: 'Go-style (`4h`, `30m`, `1h30m`, `7d`) or seconds (`3600`); 1 s to 365 days.',
  })
  @IsString()
  @Matches(/^\s*[0-9dhms]{1,24}\s*$/, { message: 'duration must be like 4h, 30m, 1h30m, 7d or 3600' })
  duration!: string;

  @ApiProperty({
    required: false,
    default: false,
    description:
      'A block that overlaps an allow-listed network (policy allowlist, ALLOWLIST_CIDRS, a manual allow in force) is ' +
      'refused with 409 naming it. `true` makes it anyway: the audit trail records the override and what it ' +
      'overrode, and the manual allows it overlaps give way (revoked, or cut back around it).',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}

export class ManualDecisionResultDto {
  @ApiProperty({ type: DecisionViewDto }) decision!: DecisionViewDto;

  @ApiProperty({
    type: [DecisionViewDto],
    description:
      'Decisions this one ended: the blocks a manual allow overlaps ("superseded by manual allow"), or the manual ' +
      'allows a forced block overlaps.',
  })
  revoked!: DecisionViewDto[];

  @ApiProperty({
    type: [DecisionViewDto],
    description:
      'Decisions that replace the revoked ones on the rest of their networks: a /24 block with an allowed address ' +
      'inside becomes the 8 networks that tile the rest of the /24, same rule, reason and expiry.',
  })
  created!: DecisionViewDto[];

  @ApiProperty({
    type: [String],
    example: [],
    description: 'The allow-listed networks a forced block overrode, with where each comes from.',
  })
  forcedOver!: string[];
}
