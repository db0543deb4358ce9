/**
 * The webhook settings (WEBHOOK_*), parsed once at start-up. Pure: validateEnvironment calls it
 * to refuse a bad value, WebhookService to get the settings.
 */
export const WEBHOOK_KINDS = ['block', 'alert', 'monitor', 'allow', 'pending'] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];
export const WEBHOOK_FORMATS = ['json', 'slack'] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

const MAX_TARGETS = 8;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export interface WebhookSettingsInput {
  WEBHOOK_URLS?: string;
  WEBHOOK_SECRET?: string;
  WEBHOOK_ACTIONS: string;
  WEBHOOK_RULES: string;
  WEBHOOK_FORMAT: WebhookFormat;
}

export interface WebhookSettings {
  /** Where to post; empty: webhooks are off and no outbound connection is made. */
  targets: URL[];
  secret: string | null;
  kinds: ReadonlySet<WebhookKind>;
  /** Rule ids to notify about; null: every rule. */
  rules: ReadonlySet<string> | null;
  format: WebhookFormat;
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * WEBHOOK_URLS: comma-separated http(s) URLs, https unless the host is loopback (the body names
 * addresses and reasons; a Slack URL is itself a secret). Errors name the variable and the
 * position, never a URL or the secret.
 */
export function parseWebhookSettings(input: WebhookSettingsInput): WebhookSettings {
  const urls = list(input.WEBHOOK_URLS ?? '');
  if (urls.length > MAX_TARGETS) {
    throw new Error(`WEBHOOK_URLS: at most ${MAX_TARGETS} URLs`);
  }
  const targets = urls.map((text, index) => {
    const which = `WEBHOOK_URLS: URL ${index + 1} of ${urls.length}`;
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new Error(`${which} is not a URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
      throw new Error(`${which} must use https unless its host is loopback`);
    }
    if (url.username !== '' || url.password !== '') {
      throw new Error(`${which} must not carry credentials before the host (use WEBHOOK_SECRET)`);
    }
    return url;
  });
  const kinds = list(input.WEBHOOK_ACTIONS);
  const unknown = kinds.find((kind) => !(WEBHOOK_KINDS as readonly string[]).includes(kind));
  if (unknown !== undefined || kinds.length === 0) {
    throw new Error(`WEBHOOK_ACTIONS: a comma-separated list of ${WEBHOOK_KINDS.join(', ')}`);
  }
  const rules = list(input.WEBHOOK_RULES);
  if (rules.some((rule) => !RULE_ID.test(rule))) {
    throw new Error('WEBHOOK_RULES: a comma-separated list of rule ids (letters, digits, _ . : -)');
  }
  const secret = input.WEBHOOK_SECRET ?? null;
  if (targets.length > 0 && input.WEBHOOK_FORMAT === 'json' && secret === null) {
    throw new Error('WEBHOOK_SECRET: is required with WEBHOOK_URLS and WEBHOOK_FORMAT=json (bodies are signed)');
  }
  return {
    targets,
    secret,
    kinds: new Set(kinds as WebhookKind[]),
    rules: rules.length === 0 ? null : new Set(rules),
    format: input.WEBHOOK_FORMAT,
  };
}
