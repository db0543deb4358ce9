import { createSocket } from 'node:dgram';
import request from 'supertest';
import { SyslogService } from '../src/syslog/syslog.service';
import { ADMIN_TOKEN, eventually, INGEST_TOKEN, sshFailures, startApp, TestApp } from './harness';
import { parseExposition, Sample, valueOf } from './prometheus';

const FIREWALL_KEY = 'firewall-bouncer-key-0123456789';
const NGINX_KEY = 'nginx-bouncer-key-0123456789';
const ATTACKER = '203.0.113.60';

describe('GET /metrics', () => {
  let t: TestApp;
  const ingest = { Authorization: `Bearer ${INGEST_TOKEN}` };
  const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };

  const scrape = async (): Promise<{ text: string; samples: Sample[] }> => {
    const res = await request(t.server).get('/metrics').set(admin).expect(200);
    return { text: res.text, samples: parseExposition(res.text) };
  };

  beforeAll(async () => {
    t = await startApp({
      SOC_INGEST_TOKEN: INGEST_TOKEN,
      SOC_ADMIN_TOKEN: ADMIN_TOKEN,
      BOUNCER_API_KEYS: `firewall:${FIREWALL_KEY},${NGINX_KEY}`,
      SYSLOG_UDP_PORT: '0',
    });
  });
  afterAll(() => t.close());

  it('starts with every series at zero and the process metrics present', async () => {
    const { samples } = await scrape();
    expect(valueOf(samples, 'soc_ingest_items_total')).toBe(0);
    expect(valueOf(samples, 'soc_events_stored_total')).toBe(0);
    expect(samples.filter((s) => s.name === 'soc_ingest_items_total').map((s) => s.labels.route)).toEqual(
      expect.arrayContaining([
        'ingest_one',
        'ingest_batch',
        'ingest_raw',
        'hec_event',
        'hec_raw',
        'syslog_tcp',
        'syslog_udp',
      ]),
    );
    expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
    expect(valueOf(samples, 'soc_bouncer_pulls_total', { bouncer: 'firewall', mode: 'stream' })).toBe(0);
    expect(valueOf(samples, 'soc_bouncer_pulls_total', { bouncer: 'key2', mode: 'stream' })).toBe(0);
  });

  it('moves with traffic: records by source, format and reason; signals; decisions; writes; HTTP; bouncers; syslog', async () => {
    const before = (await scrape()).samples;
    // A brute force in one batch: 10 events, one block.
    await request(t.server).post('/ingest-log/batch').set(ingest).send(sshFailures(ATTACKER, 10)).expect(202);
    // One event, then one refused for its address.
    await request(t.server)
      .post('/ingest-log')
      .set(ingest)
      .send({
        source_ip: '198.51.100.9',
        event_type: 'http_request',
        url: "/?id=1' UNION SELECT password FROM users--",
      })
      .expect(202);
    await request(t.server).post('/ingest-log').set(ingest).send({ source_ip: 'not-an-ip' }).expect(400);
    // Raw lines: two sshd, one nginx access line, one line no parser reads.
    await request(t.server)
      .post('/ingest-log/raw')
      .set(ingest)
      .set('Content-Type', 'text/plain')
      .send(
        [
          'Failed password for root from 198.51.100.20 port 4242 ssh2',
          'Invalid user oracle from 198.51.100.20 port 4243',
          '198.51.100.21 - - [24/Nov/2026:10:00:00 +0000] "GET /../../etc/passwd HTTP/1.1" 404 0 "-" "curl/8"',
          'nothing any parser could read',
        ].join('\n'),
      )
      .expect(202);
    // HEC: a JSON event and a raw line.
    await request(t.server)
      .post('/services/collector/event')
      .set('Authorization', `Splunk ${INGEST_TOKEN}`)
      .send({ event: { source_ip: '198.51.100.30', message: 'hello' } })
      .expect(200);
    // Syslog over UDP.
    const udpPort = t.app.get(SyslogService).addresses().udp?.port as number;
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) =>
      udp.send(
        '<38>1 2026-11-24T10:00:00Z web-1 sshd 1 - - Invalid user oracle from 198.51.100.40 port 5000',
        udpPort,
        '127.0.0.1',
        () => resolve(),
      ),
    );
    udp.close();
    await eventually(async () => {
      expect(valueOf((await scrape()).samples, 'soc_syslog_messages_total', { transport: 'udp' })).toBe(1);
    });
    // Bouncers: the named key starts up, the unnamed one checks its key.
    await request(t.server).get('/v1/decisions/stream?startup=true').set('X-Api-Key', FIREWALL_KEY).expect(200);
    await request(t.server).head('/v1/decisions/stream').set('X-Api-Key', NGINX_KEY).expect(200);
    // A scan of a path no route has.
    await request(t.server).get('/wp-admin/setup-config.php?secret=scanner-path-xyz').expect(404);

    await eventually(async () => {
      expect(valueOf((await scrape()).samples, 'soc_events_stored_total')).toBe(16);
    });
    const { text, samples } = await scrape();
    const moved = (name: string, labels: Record<string, string> = {}): number =>
      valueOf(samples, name, labels) - valueOf(before, name, labels);

    const items = (route: string, status: string) => moved('soc_ingest_items_total', { route, status });
    expect(items('ingest_batch', 'accepted')).toBe(10);
    expect(items('ingest_one', 'accepted')).toBe(1);
    expect(items('ingest_one', 'rejected')).toBe(1);
    expect(moved('soc_ingest_unusable_total', { route: 'ingest_one', format: 'json', reason: 'invalid_field' })).toBe(
      1,
    );
    expect(items('ingest_raw', 'accepted')).toBe(3);
    expect(items('ingest_raw', 'unparsed')).toBe(1);
    expect(moved('soc_ingest_unusable_total', { route: 'ingest_raw', reason: 'unknown_format' })).toBe(1);
    expect(items('hec_event', 'accepted')).toBe(1);
    expect(items('syslog_udp', 'accepted')).toBe(1);

    expect(moved('soc_signals_total', { signal: 'auth_failure' })).toBeGreaterThanOrEqual(12);
    expect(moved('soc_signals_total', { signal: 'sql_injection' })).toBe(1);
    expect(moved('soc_signals_total', { signal: 'path_traversal' })).toBe(1);
    expect(
      moved('soc_decisions_total', { action: 'block', rule: 'ssh-brute-force', origin: 'policy', status: 'active' }),
    ).toBe(1);

    expect(moved('soc_write_flushes_total', { result: 'committed' })).toBeGreaterThanOrEqual(5);
    expect(moved('soc_write_flush_events_sum')).toBe(16);
    expect(moved('soc_write_flush_duration_seconds_count', { stage: 'persist' })).toBeGreaterThanOrEqual(5);
    expect(valueOf(samples, 'soc_write_queue_events')).toBe(0);

    expect(moved('soc_http_requests_total', { method: 'POST', route: '/ingest-log', status: '202' })).toBe(1);
    expect(moved('soc_http_requests_total', { method: 'POST', route: '/ingest-log', status: '400' })).toBe(1);
    expect(moved('soc_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(
      moved('soc_http_request_duration_seconds_count', { method: 'POST', route: '/ingest-log/batch', status: '202' }),
    ).toBe(1);
    expect(moved('soc_bouncer_pulls_total', { bouncer: 'firewall', mode: 'startup' })).toBe(1);
    expect(moved('soc_bouncer_pulls_total', { bouncer: 'key2', mode: 'check' })).toBe(1);
    expect(valueOf(samples, 'soc_bouncer_last_pull_timestamp_seconds', { bouncer: 'firewall' })).toBeGreaterThan(
      Date.now() / 1000 - 60,
    );

    // Bounded labels: no raw URL, no key, no token, no address in any series.
    for (const secret of [
      FIREWALL_KEY,
      NGINX_KEY,
      INGEST_TOKEN,
      ADMIN_TOKEN,
      'scanner-path-xyz',
      'wp-admin',
      ATTACKER,
    ]) {
      expect(text).not.toContain(secret);
    }
  }, 30_000);
});
