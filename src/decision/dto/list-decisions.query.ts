import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { ACTIONS, Action } from '../policy';
import { DecisionViewDto } from './decision-view.dto';
import { ApiProperty } from '@nestjs/swagger';

export class ListDecisionsQuery {
  @ApiPropertyOptional({ enum: ACTIONS }) @IsOptional() @IsIn(ACTIONS) action?: Action;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit = 100;

  @ApiPropertyOptional({ minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset = 0;
}

export class DecisionListDto {
  @ApiProperty({ example: 1 }) total!: number;
  @ApiProperty({ type: [DecisionViewDto] }) items!: DecisionViewDto[];
}
