import { DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Environment } from './environment';

/**
 * The validated environment as ConfigService, for every module: read once at start-up
 * (validateEnvironment), never again from process.env or a .env file.
 */
export function settingsModule(env: Environment): Promise<DynamicModule> {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    ignoreEnvVars: true,
    skipProcessEnv: true,
    cache: true,
    validate: () => env,
  });
}
