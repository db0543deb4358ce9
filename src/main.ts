import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { validateEnvironment } from './config/environment';
import { StoreInUseError } from './memory/sqlite-instance-lock';

async function bootstrap(): Promise<void> {
  if (existsSync('.env')) {
    process.loadEnvFile('.env'); // values already in the environment win
  }
  let env;
  try {
    env = validateEnvironment(process.env);
  } catch (error) {
    // The message names variables and reasons, never their values.
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  let app;
  try {
    app = await createApp(env);
  } catch (error) {
    // A store held by another process, or settings read after the environment (the policy file,
    // RULES_DIR), stop the start with the reason only.
    if (error instanceof StoreInUseError || (error as Error).message.startsWith('Invalid configuration:')) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
    throw error;
  }
  await app.listen(env.PORT, env.HOST);
  // The address actually bound: with PORT=0 the system picks the port.
  const url = await app.getUrl();
  new Logger('Bootstrap').log(`SOC triage service listening on ${url} (docs at /docs)`);
}

void bootstrap();
