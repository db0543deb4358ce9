import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, chromium, Page } from 'playwright-core';
import request from 'supertest';
import { FakeAnthropic, Reply } from './fake-anthropic';
import { ADMIN_TOKEN, INGEST_TOKEN, sshFailures, startApp, TestApp } from './harness';
import { llmSettings, policyFileWithLlm, reviewsSettled } from './llm-e2e';

/**
 * The console in a real browser: Debian's chromium driven by playwright-core (no browser is
 * downloaded), against the real service on a temporary database and a fake Messages API.
 * Screenshots of each page go to test/screenshots/ (git-ignored), for a person to look at.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, 'screenshots');
const BOUNCER_KEY = 'browser-test-bouncer-key-0123';
const PENDING = '  maxAction: block\n  mayShortenSoftBlocks: false\n  approval: pending';
const HOSTILE: Reply = {
  kind: 'verdict',
  input: {
    level: 'critical',
    score: 92,
    categories: ['web_exploit'],
    techniques: ['T1189'],
    confidence: 0.9,
    rationale: 'Repeated cross-site scripting attempts against the search page.',
  },
};

interface Stream {
  new: { value: string; scenario: string }[] | null;
  deleted: { value: string }[] | null;
}

jest.setTimeout(30_000);

describe('Console in a browser (chromium)', () => {
  const policy = policyFileWithLlm(PENDING);
  let fake: FakeAnthropic;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  const pull = async (query = ''): Promise<Stream> =>
    (await request(t.server).get(`/v1/decisions/stream${query}`).set('X-Api-Key', BOUNCER_KEY).expect(200))
      .body as Stream;
  const ingest = (events: object[]) =>
    request(t.server).post('/ingest-log/batch').set('authorization', `Bearer ${INGEST_TOKEN}`).send(events).expect(202);
  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (CI does)`);
    }
    mkdirSync(SHOTS, { recursive: true });
    fake = await FakeAnthropic.start();
    fake.otherwise(HOSTILE);
    t = await startApp({
      ...llmSettings(fake),
      POLICY_FILE: policy.path,
      SOC_ADMIN_TOKEN: ADMIN_TOKEN,
      SOC_INGEST_TOKEN: INGEST_TOKEN,
      BOUNCER_API_KEYS: BOUNCER_KEY,
    });
    await t.app.listen(0, '127.0.0.1');
    base = await t.app.getUrl();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') {
        problems.push(message.text());
      }
    });
    page.on('pageerror', (error) => problems.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await fake?.close();
    policy.remove();
  });

  it('sends a visitor without a session to the sign-in page, and signs in with the admin token', async () => {
    await page.goto(`${base}/console`);
    expect(new URL(page.url()).pathname).toBe('/console/login');
    await shot('01-sign-in');
    await page.fill('input[name=operator]', 'alice');
    await page.fill('input[name=token]', ADMIN_TOKEN);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/console`);
    expect(await page.textContent('h1')).toBe('Overview');
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([expect.objectContaining({ name: 'soc_console', httpOnly: true, sameSite: 'Strict' })]);
    expect(await page.evaluate('document.cookie')).toBe('');
  });

  it('shows a brute force appear on the overview without a reload, and the bouncer stream gets the ban', async () => {
    const before = await pull('?startup=true');
    expect(before.new ?? []).toEqual([]);
    await ingest(sshFailures('203.0.113.50', 8, Date.now() - 30_000, 2));
    const link = page.locator('#latest-in-force a[href="/console/actors/203.0.113.50"]');
    await link.waitFor({ timeout: 15_000 });
    await page.locator('#tallies', { hasText: 'ssh-brute-force' }).waitFor();
    expect(Number(await page.textContent('[data-live="lastHour"]'))).toBeGreaterThanOrEqual(8);
    expect(await page.locator('#chart rect').count()).toBeGreaterThan(0);
    await shot('02-overview');
    const after = await pull();
    expect(after.new?.map((d) => d.value)).toContain('203.0.113.50');
  });

  it("opens the actor's timeline: why it is blocked, its events, verdict and decision", async () => {
    await page.click('#latest-in-force a[href="/console/actors/203.0.113.50"]');
    await page.waitForURL(`${base}/console/actors/203.0.113.50`);
    expect(await page.textContent('.why h2')).toContain('is blocked');
    expect(await page.textContent('.why')).toContain('ssh-brute-force');
    expect(await page.locator('.timeline li.t-event').count()).toBe(8);
    expect(await page.locator('.timeline li.t-verdict').count()).toBeGreaterThan(0);
    expect(await page.locator('.timeline li.t-decision').count()).toBeGreaterThan(0);
    await shot('03-actor');
  });

  it('approves a pending block with a reason, and the bouncer stream changes', async () => {
    await ingest([
      {
        timestamp: new Date().toISOString(),
        source_ip: '192.0.2.20',
        event_type: 'http_request',
        url: '/search?q=<script>alert(1)</script>',
      },
    ]);
    await reviewsSettled(t);
    await page.goto(`${base}/console/decisions?view=pending`);
    const row = page.locator('tr', { hasText: '192.0.2.20' });
    await row.waitFor();
    expect(await row.textContent()).toContain('verdict-high');
    await shot('04-pending');
    expect((await pull()).new ?? []).toEqual([]);
    await row.locator('form:has(button[data-action=approve]) input[name=reason]').fill('matches the XSS campaign');
    await row.locator('button[data-action=approve]').click();
    await page.locator('.notice-ok', { hasText: 'Approved block on 192.0.2.20' }).waitFor();
    const stream = await pull();
    expect(stream.new?.map((d) => d.value)).toEqual(['192.0.2.20']);
    await page.goto(`${base}/console/decisions?view=in-force`);
    await page.locator('tr', { hasText: '192.0.2.20' }).filter({ hasText: 'verdict-high' }).waitFor();
    await shot('05-decisions');
  });

  it('records the approval in the audit log, by the signed-in operator', async () => {
    await page.goto(`${base}/console/audit?value=192.0.2.20`);
    const row = page.locator('tr', { hasText: 'approved' });
    await row.waitFor();
    expect(await row.textContent()).toContain('alice');
    expect(await row.textContent()).toContain('matches the XSS campaign');
    await shot('06-audit');
  });

  it('ran with no script error and no CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
