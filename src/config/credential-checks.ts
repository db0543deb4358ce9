import { IngestCredential } from './ingest-tokens';

export interface CredentialSettings {
  production: boolean;
  allowOpen: boolean;
  ingest: readonly IngestCredential[];
  admin: string | undefined;
  bouncerKeys: readonly string[];
}

/** Where each credential comes from, to name it in a message without its value. */
function ingestLabel(credential: IngestCredential): string {
  return credential.name === 'default' ? 'SOC_INGEST_TOKEN' : `SOC_INGEST_TOKENS ("${credential.name}")`;
}

/**
 * Start-up refusals, as messages naming variables (never values):
 * - in production, no ingest or no admin credential, unless ALLOW_OPEN=true says it is meant;
 * - one secret used for two roles (ingest and admin, or a bouncer key equal to either): a
 *   forwarder's token would then open the admin API, or a bouncer's key would send events.
 */
export function credentialProblems(settings: CredentialSettings): string[] {
  const problems: string[] = [];
  if (settings.production && !settings.allowOpen) {
    if (settings.ingest.length === 0) {
      problems.push(
        'SOC_INGEST_TOKEN / SOC_INGEST_TOKENS: NODE_ENV=production needs an ingest token (or ALLOW_OPEN=true to run open on purpose)',
      );
    }
    if (settings.admin === undefined) {
      problems.push(
        'SOC_ADMIN_TOKEN: NODE_ENV=production needs an admin token (or ALLOW_OPEN=true to run open on purpose)',
      );
    }
  }
  for (const credential of settings.ingest) {
    if (credential.token === settings.admin) {
      problems.push(`${ingestLabel(credential)} and SOC_ADMIN_TOKEN hold the same value: each role needs its own`);
    }
  }
  settings.bouncerKeys.forEach((key, index) => {
    const label = `BOUNCER_API_KEYS (key ${index + 1})`;
    if (key === settings.admin) {
      problems.push(`${label} and SOC_ADMIN_TOKEN hold the same value: each role needs its own`);
    }
    for (const credential of settings.ingest.filter((ingest) => ingest.token === key)) {
      problems.push(`${label} and ${ingestLabel(credential)} hold the same value: each role needs its own`);
    }
  });
  return problems;
}
