import request from 'supertest';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger as SplunkLogger } from 'splunk-logging';
import { parseLine } from '../src/ingest/parsers/line';
import { parseRecord } from '../src/ingest/record';
import { eventually, INGEST_TOKEN, startApp, TestApp } from './harness';
import { ATTACKERS, authLog, AuthLine, messageOf } from './forwarders/auth-log';
import { findSyslogNg } from './forwarders/debian-programs';
import { expectEveryLineDelivered, itemsAnswered } from './forwarders/delivery';
import { readmeBlock, runSyslogNg, stop, syslogNgStats } from './forwarders/run';

/**
 * Real forwarders over HTTP, each fed a real-shaped auth log in which about one line in five
 * names no address: syslog-ng with the README's own HEC and NDJSON recipes, and Splunk's npm
 * client (splunk-logging), batched and one event per request. Every line must be answered
 * for, every line naming an actor stored, and the forwarder left with nothing to retry.
 */
const SYSLOG_NG = findSyslogNg();
if (!SYSLOG_NG.ok) {
  console.warn(`syslog-ng tests skipped: ${SYSLOG_NG.reason}`);
}
const withSyslogNg = SYSLOG_NG.ok ? it : it.skip;
/** Rounds of the auth log: about 2,000 lines, as in the report of the stalled forwarder. */
const LONG = 95;

describe('the auth log the forwarders send', () => {
  it('names an actor where the parsers find one, whole line or message alone, and none in about one line in five', () => {
    const now = new Date();
    const lines = authLog(LONG, now.getTime());
    expect(lines.length).toBeGreaterThanOrEqual(2000);
    const unkeyed = lines.filter((l) => l.actor === null).length / lines.length;
    expect(unkeyed).toBeGreaterThan(0.15);
    expect(unkeyed).toBeLessThan(0.3);
    for (const { line, actor } of lines) {
      for (const parsed of [
        parseLine(line, { now }),
        parseLine(messageOf(line), { now }),
        parseRecord({ message: line }, now),
      ]) {
        expect({ line, actor: parsed.ok ? parsed.event.sourceIp : null }).toEqual({ line, actor });
      }
    }
  });
});

describe('real HTTP forwarders delivering an auth log', () => {
  let t: TestApp;
  let port: number;
  let dir: string;
  let lines: AuthLine[];
  let forwarder: ChildProcess | undefined;
  let stderr = '';

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soc-fwd-http-'));
    lines = authLog(LONG);
    writeFileSync(join(dir, 'auth.log'), lines.map((l) => l.line).join('\n') + '\n');
    // The default rate limit: what a forwarder meets out of the box.
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, INGEST_RATE_LIMIT: '500' });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterEach(async () => {
    await stop(forwarder);
    forwarder = undefined;
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterAll(() => {
    if (/error/i.test(stderr)) {
      console.log(stderr.slice(0, 2000));
    }
  });

  /** The README's recipe for `marker`, aimed at this test's service, reading the test's log file. */
  function syslogNgWithReadme(marker: string): ChildProcess {
    const recipe = readmeBlock(marker)
      .replaceAll('http://127.0.0.1:3000', `http://127.0.0.1:${port}`)
      .replaceAll('<SOC_INGEST_TOKEN>', INGEST_TOKEN);
    const child = runSyslogNg(
      SYSLOG_NG.ok ? SYSLOG_NG.program : (undefined as never),
      dir,
      `options { keep-hostname(yes); use-dns(no); time-reopen(1); stats-level(1); };
source s_src { file("${join(dir, 'auth.log')}" follow-freq(1)); };
${recipe}`,
    );
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return child;
  }

  async function expectDrained(destination: string): Promise<void> {
    if (!SYSLOG_NG.ok) {
      return;
    }
    await eventually(() => {
      const stats = syslogNgStats(SYSLOG_NG.program, dir, destination);
      expect(stats).toMatchObject({ queued: 0, dropped: 0, written: lines.length });
    }, 15_000);
  }

  withSyslogNg(
    "syslog-ng with the README's HEC recipe",
    async () => {
      forwarder = syslogNgWithReadme('destination d_soc {');
      await eventually(() => expectEveryLineDelivered(t, lines, 'hec_event'), 30_000);
      await expectDrained('d_soc');
      // time=$S_UNIXTIME: each event keeps its line's own time, not the time it arrived.
      const last = lines.filter((l) => l.actor === ATTACKERS[0]).pop() as AuthLine;
      const parsed = parseLine(last.line, { now: new Date() });
      const view = await request(t.server).get(`/actors/${ATTACKERS[0]}`).expect(200);
      expect(view.body.recentEvents[0].eventTime).toBe(parsed.ok ? parsed.event.eventTime.toISOString() : null);
    },
    60_000,
  );

  withSyslogNg(
    "syslog-ng with the README's NDJSON recipe (POST /ingest-log/batch)",
    async () => {
      forwarder = syslogNgWithReadme('destination d_soc_ndjson {');
      await eventually(() => expectEveryLineDelivered(t, lines, 'ingest_batch'), 30_000);
      await expectDrained('d_soc_ndjson');
    },
    60_000,
  );

  it.each([
    { name: 'batched (50 events a request), 2,000 lines', maxBatchCount: 50, rounds: LONG },
    // One request per line: 250 lines stay under the default 500 requests a minute per address.
    { name: 'one event per request, 250 lines', maxBatchCount: 1, rounds: 12 },
  ])(
    "Splunk's npm client splunk-logging, $name",
    async ({ maxBatchCount, rounds }) => {
      lines = authLog(rounds);
      const logger = new SplunkLogger({ token: INGEST_TOKEN, url: `http://127.0.0.1:${port}`, maxBatchCount });
      const errors: unknown[] = [];
      logger.error = (error) => errors.push(error);
      const answers: unknown[] = [];
      const answered = new Promise<void>((resolve) => {
        const record = (_error: unknown, _response: unknown, body: unknown) => {
          answers.push(body);
          if (answers.length === Math.ceil(lines.length / maxBatchCount)) {
            resolve();
          }
        };
        for (const { line } of lines) {
          logger.send({ message: line, metadata: { host: 'bastion-1', sourcetype: 'linux_secure' } }, record);
        }
        if (lines.length % maxBatchCount !== 0) {
          logger.flush(record);
        }
      });
      await answered;
      // Nothing left in the client's queue, nothing it reported as failed.
      expect(logger.serializedContextQueue).toHaveLength(0);
      expect(errors).toEqual([]);
      expect(new Set(answers.map((body) => JSON.stringify(body)))).toEqual(
        new Set([JSON.stringify({ text: 'Success', code: 0 })]),
      );
      await expectEveryLineDelivered(t, lines, 'hec_event');
      expect(await itemsAnswered(t, 'hec_raw')).toEqual({ accepted: 0, unparsed: 0, rejected: 0 });
    },
    60_000,
  );
});

describe('splunk-logging past the rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, INGEST_RATE_LIMIT: '5' });
    await t.app.listen(0, '127.0.0.1');
  });
  afterAll(() => t.close());

  it('gets HEC\'s own "Server is busy" (code 9), which it reports as an error: it does not retry, so batch it', async () => {
    const port = (t.app.getHttpServer().address() as AddressInfo).port;
    const logger = new SplunkLogger({ token: INGEST_TOKEN, url: `http://127.0.0.1:${port}`, maxBatchCount: 1 });
    const errors: { code?: unknown; message: string }[] = [];
    logger.error = (error) => errors.push(error);
    const sent = Array.from(
      { length: 8 },
      (_, i) => `Failed password for root from 198.51.100.${i + 1} port 4242 ssh2`,
    );
    for (const message of sent) {
      await new Promise<void>((resolve) => logger.send({ message }, () => resolve()));
    }
    expect(errors.map((e) => [e.code, e.message])).toEqual(Array(3).fill([9, 'Server is busy']));
  });
});
