import { EXPRESSION_MAX_LENGTH, RISK_ACTIONS, RISK_SEVERITIES, RULE_EVENT_KINDS, type RiskAction, type RiskSeverity, type RuleDraft, type RuleEventKind } from '@coinops/risk';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** The editable content of a rule: every save of it becomes a new immutable version. */
export class RuleDraftDto {
  @ApiProperty({ example: 'Many cards on one device' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: RULE_EVENT_KINDS, default: 'recharge' })
  @IsOptional()
  @IsIn(RULE_EVENT_KINDS)
  event_kind?: RuleEventKind;

  @ApiProperty({ description: 'A CEL condition over the feature catalog (docs/risk.md)', example: 'event.has_device && device.distinct_cards_24h >= 4' })
  @IsString()
  @MaxLength(EXPRESSION_MAX_LENGTH)
  expression: string;

  @ApiProperty({ enum: RISK_ACTIONS })
  @IsIn(RISK_ACTIONS)
  action: RiskAction;

  @ApiProperty({ minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  score: number;

  @ApiProperty({ enum: RISK_SEVERITIES })
  @IsIn(RISK_SEVERITIES)
  severity: RiskSeverity;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class CreateRuleDto extends RuleDraftDto {
  @ApiProperty({ example: 'many_cards_per_device', description: 'Lower-case identifier; never changes' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,62}$/, { message: 'key must be a lower-case identifier (a-z, 0-9, _), at most 63 characters' })
  key: string;
}

/** A new version: the live version with these fields changed (omitted fields keep their live value). */
export class NewRuleVersionDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ enum: RULE_EVENT_KINDS })
  @IsOptional()
  @IsIn(RULE_EVENT_KINDS)
  event_kind?: RuleEventKind;

  @ApiPropertyOptional({ description: 'A CEL condition over the feature catalog (docs/risk.md)' })
  @IsOptional()
  @IsString()
  @MaxLength(EXPRESSION_MAX_LENGTH)
  expression?: string;

  @ApiPropertyOptional({ enum: RISK_ACTIONS })
  @IsOptional()
  @IsIn(RISK_ACTIONS)
  action?: RiskAction;

  @ApiPropertyOptional({ minimum: 0, maximum: 100 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  score?: number;

  @ApiPropertyOptional({ enum: RISK_SEVERITIES })
  @IsOptional()
  @IsIn(RISK_SEVERITIES)
  severity?: RiskSeverity;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiPropertyOptional({ description: 'Why, recorded in the audit log' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  reason?: string;
}

export class RuleSwitchDto {
  @ApiProperty({ description: 'Why, recorded in the audit log' })
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export class ValidateExpressionDto {
  @ApiProperty({ example: 'user.distinct_cards_24h >= 3' })
  @IsString()
  @MaxLength(EXPRESSION_MAX_LENGTH)
  expression: string;
}

export class BacktestDto {
  @ApiProperty({ example: 'card.count_1h >= 3' })
  @IsString()
  @MaxLength(EXPRESSION_MAX_LENGTH)
  expression: string;

  @ApiProperty({ example: '2026-01-01T00:00:00Z', description: 'Inclusive: decisions on events that occurred at or after this time' })
  @IsISO8601({ strict: true })
  from: string;

  @ApiProperty({ example: '2026-02-01T00:00:00Z', description: 'Exclusive' })
  @IsISO8601({ strict: true })
  to: string;

  @ApiPropertyOptional({ enum: ['recharge', 'gift'], default: 'recharge' })
  @IsOptional()
  @IsIn(['recharge', 'gift'])
  event_kind?: 'recharge' | 'gift';
}

export function toDraft(dto: RuleDraftDto): RuleDraft {
  return {
    name: dto.name,
    eventKind: dto.event_kind,
    expression: dto.expression,
    action: dto.action,
    score: dto.score,
    severity: dto.severity,
    description: dto.description,
    enabled: dto.enabled,
  };
}
