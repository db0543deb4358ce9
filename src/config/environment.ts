import { plainToInstance } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { parseTrustProxy } from './trust-proxy';

export const LLM_PROVIDERS = ['auto', 'mock'] as const;
export const LOG_LEVELS = ['error', 'warn', 'log', 'debug', 'verbose'] as const;

/** Variables whose values must never be echoed, not even in a validation error. */
const SECRET_VARIABLES = new Set(['SOC_INGEST_TOKEN', 'SOC_ADMIN_TOKEN', 'ANTHROPIC_API_KEY']);

/**
 * Every environment variable the service reads, with its default. `.env.example` and the
 * README's configuration table describe the same list.
 */
export class Environment {
  @IsInt() @Min(0) @Max(65535) PORT: number = 3000;

  /** Loopback by default: exposing the service is a deliberate act. */
  @IsString() @MinLength(1) HOST: string = '127.0.0.1';

  @IsIn(LOG_LEVELS) LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'log';

  @IsIn(['sqlite']) DATABASE_TYPE = 'sqlite' as const;

  @IsString() @MinLength(1) @MaxLength(4096) DATABASE_PATH: string = './data/soc.sqlite';

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  SOC_INGEST_TOKEN?: string;

  @IsOptional()
  @IsString()
  @MinLength(16, { message: 'must be at least 16 characters' })
  @MaxLength(512, { message: 'must be at most 512 characters' })
  SOC_ADMIN_TOKEN?: string;

  @IsInt() @Min(1) @Max(1_000_000) INGEST_RATE_LIMIT: number = 500;

  /** Bytes; the largest request body accepted on any route. */
  @IsInt() @Min(1024) @Max(256 * 1024 * 1024) INGEST_MAX_BODY: number = 1024 * 1024;

  @IsInt() @Min(1) @Max(100_000) INGEST_MAX_BATCH: number = 10_000;

  /** Comma-separated addresses or CIDRs of the reverse proxies whose X-Forwarded-For is believed. */
  @IsString()
  @Matches(/^[0-9a-fA-F:.,/ ]*$/, { message: 'must be a comma-separated list of IP addresses or CIDRs' })
  TRUST_PROXY: string = '';

  @IsIn(LLM_PROVIDERS) LLM_PROVIDER: (typeof LLM_PROVIDERS)[number] = 'auto';

  @IsOptional() @IsString() @MinLength(1) ANTHROPIC_API_KEY?: string;
}

/** Turns "" into undefined so that an empty line in .env means "unset". */
function withoutEmpty(raw: Record<string, unknown>): Record<string, unknown> {
  const known = new Set(Object.keys(new Environment()).concat([...SECRET_VARIABLES]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (known.has(key) && value !== '' && value !== undefined) {
      out[key] = value;
    }
  }
  return out;
}

function describe(errors: ValidationError[]): string {
  return errors
    .map((error) => {
      const reasons = Object.values(error.constraints ?? {}).map((text) =>
        // class-validator messages start with the property name; keep only the reason.
        text.startsWith(error.property) ? text.slice(error.property.length).trim() : text,
      );
      return `  ${error.property}: ${reasons.join('; ')}`;
    })
    .join('\n');
}

/** The `validate` hook of ConfigModule: a bad value stops the start with a readable message. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  const env = plainToInstance(Environment, withoutEmpty(raw), { enableImplicitConversion: true });
  const errors = validateSync(env, { skipMissingProperties: false });
  if (errors.length === 0 && env.TRUST_PROXY !== '') {
    try {
      parseTrustProxy(env.TRUST_PROXY);
    } catch (error) {
      throw new Error(`Invalid configuration:\n  TRUST_PROXY: ${(error as Error).message}`);
    }
  }
  if (errors.length > 0) {
    throw new Error(`Invalid configuration:\n${describe(errors)}`);
  }
  return env;
}
