import { ApiProperty } from '@nestjs/swagger';

/** CrowdSec's `models.Decision`, as served to bouncers. */
export class LapiDecisionDto {
  @ApiProperty({ example: '3h59m58s', description: 'Time left, Go duration (negative on a deleted one).' })
  duration!: string;

  @ApiProperty({ example: 42, description: 'Stable integer id (int64 in CrowdSec).' })
  id!: number;

  @ApiProperty({ example: 'soc-triage', enum: ['soc-triage', 'soc-triage-llm', 'cscli'] })
  origin!: string;

  @ApiProperty({ example: 'soc-triage/ssh-brute-force', description: '`soc-triage/<rule id>`.' })
  scenario!: string;

  @ApiProperty({ example: 'Ip', enum: ['Ip', 'Range'] }) scope!: string;
  @ApiProperty({ example: 'ban', enum: ['ban'] }) type!: string;
  @ApiProperty({ example: '2026-11-24T14:04:00Z' }) until!: string;
  @ApiProperty({ example: '0193a4c2-7f00-7000-8000-00000000beef', description: 'Our decision id.' }) uuid!: string;
  @ApiProperty({ example: '203.0.113.7' }) value!: string;
}

export class StreamBodyDto {
  @ApiProperty({ type: [LapiDecisionDto], nullable: true }) deleted!: LapiDecisionDto[] | null;
  @ApiProperty({ type: [LapiDecisionDto], nullable: true }) new!: LapiDecisionDto[] | null;
}
