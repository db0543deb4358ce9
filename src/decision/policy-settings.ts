import { DynamicModule, Module } from '@nestjs/common';
import type { Environment } from '../config/environment';
import { DEFAULT_POLICY } from './default-policy';
import { Policy } from './policy';
import { parseAllowlistVariable } from './policy-allowlist';
import { loadPolicyFile } from './policy-file';

/**
 * The policy in force and the ALLOWLIST_CIDRS beside it, read and validated once at start-up
 * (loadPolicySettings, called by the composition root: AppModule.forRoot, the replay) and handed
 * to the Decision module as a value. Nothing else reads the policy file.
 */
export class PolicySettings {
  constructor(
    readonly policy: Policy,
    /** Where it came from, for the log: POLICY_FILE's path or policy/default.yaml. */
    readonly source: string,
    /** ALLOWLIST_CIDRS as canonical CIDRs. */
    readonly allowlistCidrs: readonly string[],
  ) {}
}

/** POLICY_FILE (else policy/default.yaml) and ALLOWLIST_CIDRS, or the start stops with a readable reason. */
export function loadPolicySettings(env: Pick<Environment, 'POLICY_FILE' | 'ALLOWLIST_CIDRS'>): PolicySettings {
  let allowlistCidrs: string[];
  try {
    allowlistCidrs = parseAllowlistVariable(env.ALLOWLIST_CIDRS);
  } catch (error) {
    throw new Error(`Invalid configuration:\n  ALLOWLIST_CIDRS: ${(error as Error).message}`);
  }
  if (env.POLICY_FILE === undefined) {
    return new PolicySettings(DEFAULT_POLICY, 'policy/default.yaml', allowlistCidrs);
  }
  try {
    return new PolicySettings(loadPolicyFile(env.POLICY_FILE), env.POLICY_FILE, allowlistCidrs);
  } catch (error) {
    throw new Error(`Invalid configuration:\n  POLICY_FILE: ${(error as Error).message.replace(/\n/g, '\n  ')}`);
  }
}

/** PolicySettings for every module (PolicyService reads it), like the settings module serves the environment. */
@Module({})
export class PolicySettingsModule {
  static with(settings: PolicySettings): DynamicModule {
    return {
      module: PolicySettingsModule,
      global: true,
      providers: [{ provide: PolicySettings, useValue: settings }],
      exports: [PolicySettings],
    };
  }
}
