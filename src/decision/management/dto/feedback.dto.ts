import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { FeedbackVerdict, StoredFeedback } from '../../../memory/enforcement-records';
import { FREE_TEXT, MAX_OPERATOR, MAX_REASON, OPERATOR } from './text-rules';

export const FEEDBACK_VERDICTS: readonly FeedbackVerdict[] = ['true_positive', 'false_positive'];

export class FeedbackDto {
  @ApiProperty({ enum: FEEDBACK_VERDICTS, example: 'false_positive' })
  @IsIn(FEEDBACK_VERDICTS)
  verdict!: FeedbackVerdict;

  @ApiProperty({
    example: 'our vulnerability scanner; ticket SEC-1234',
    maxLength: MAX_REASON,
    description: 'Kept with the feedback; a false positive revokes with it as the reason.',
  })
  @IsString()
  @MaxLength(MAX_REASON)
  @Matches(FREE_TEXT, { message: 'note must be non-blank text without control characters' })
  note!: string;

  @ApiProperty({ example: 'alice', maxLength: MAX_OPERATOR })
  @IsString()
  @MaxLength(MAX_OPERATOR)
  @Matches(OPERATOR, { message: 'by must be a non-blank name on one line' })
  by!: string;
}

export class FeedbackViewDto {
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c4f-7b3c-8a21-1f2e3d4c5b6a' }) id!: string;
  @ApiProperty({ example: '203.0.113.7' }) actor!: string;
  @ApiProperty({ enum: FEEDBACK_VERDICTS, example: 'false_positive' }) verdict!: FeedbackVerdict;
  @ApiProperty({ example: 'our vulnerability scanner; ticket SEC-1234' }) note!: string;
  @ApiProperty({ example: 'alice' }) by!: string;
  @ApiProperty({ example: '2026-11-24T10:20:00.000Z' }) createdAt!: string;

  @ApiProperty({
    type: [String],
    description: 'Decisions revoked by a false positive.',
    example: ['0193a1b2-7c4e-7d2a-9f10-3b5c8e2d4a61'],
  })
  revokedDecisionIds!: string[];

  static from(feedback: StoredFeedback): FeedbackViewDto {
    return {
      id: feedback.id,
      actor: feedback.actorIp,
      verdict: feedback.verdict,
      note: feedback.note,
      by: feedback.who,
      createdAt: feedback.createdAt.toISOString(),
      revokedDecisionIds: feedback.revokedDecisionIds,
    };
  }
}
