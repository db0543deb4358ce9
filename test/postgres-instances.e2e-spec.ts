import { tmpdir } from 'node:os';
import { Client } from 'pg';
import request from 'supertest';
import { ReviewService } from '../src/decision/review/review.service';
import { Verdict } from '../src/domain/verdict';
import { dataBlockOf, FakeAnthropic } from './fake-anthropic';
import { EntryPointRun, freePort, startEntryPoint } from './entry-point';
import { eventually, INGEST_TOKEN, postgresDatabase, sshFailures, startApp, TestApp } from './harness';
import { llmSettings, reviewsSettled } from './llm-e2e';

/**
 * Many instances, one truth (PostgreSQL only: jest.config.js runs this file in e2e-postgres
 * alone). Two apps on one database take concurrent brute-force batches for the same
 * addresses: each flush plans under the advisory locks of its keys, so each address gets
 * exactly one block, and every count sees both instances' events.
 */
const ADDRESSES = Array.from({ length: 40 }, (_, i) => `198.51.100.${i + 10}`);
const BATCHES_PER_INSTANCE = 4;
const FAILURES_PER_BATCH = 6;
const BOUNCER_KEY = 'shared-bouncer-key-0123456789';
/** Forty blocked addresses in one /24 escalate to a block on the range, once. */
const BLOCKED = [...ADDRESSES, '198.51.100.0/24'].sort();

interface Stream {
  new: { value: string }[] | null;
  deleted: { value: string }[] | null;
}

describe('two instances on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof postgresDatabase>>;
  let instances: TestApp[] = [];
  let sql: Client;

  beforeAll(async () => {
    database = await postgresDatabase();
    const settings = {
      DATABASE_TYPE: 'postgres',
      DATABASE_URL: database.url,
      SOC_INGEST_TOKEN: INGEST_TOKEN,
      BOUNCER_API_KEYS: BOUNCER_KEY,
    };
    // Started together: one runs the migrations, the other waits for its lock and finds none left.
    instances = await Promise.all([startApp(settings), startApp(settings)]);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 60_000);

  afterAll(async () => {
    await sql?.end();
    await Promise.all(instances.map((t) => t.close()));
    await database?.drop();
  }, 30_000);

  const batch = (offset: number) =>
    ADDRESSES.flatMap((ip) => sshFailures(ip, FAILURES_PER_BATCH, Date.now() - 60_000 + offset * 1000, 1));

  it('gives each address exactly one block when both instances see its brute force at once', async () => {
    const sends = instances.flatMap((t, n) =>
      Array.from({ length: BATCHES_PER_INSTANCE }, (_, b) =>
        request(t.server)
          .post('/ingest-log/batch')
          .set('Authorization', `Bearer ${INGEST_TOKEN}`)
          .send(batch(n * BATCHES_PER_INSTANCE + b)),
      ),
    );
    const answers = await Promise.all(sends);
    expect(answers.map((answer) => answer.status)).toEqual(sends.map(() => 202));

    const blocks = await sql.query<{ value: string; n: string }>(
      `SELECT value, COUNT(*) AS n FROM decisions
       WHERE action = 'block' AND status = 'active' AND revoked_at IS NULL AND expires_at > $1
       GROUP BY value`,
      [Date.now()],
    );
    const counted = blocks.rows.map((row): [string, number] => [row.value, Number(row.n)]);
    expect(counted.sort(([a], [b]) => a.localeCompare(b))).toEqual(BLOCKED.map((value) => [value, 1]));
  }, 60_000);

  it('counts every event of both instances on each actor, and stores them all', async () => {
    const perAddress = instances.length * BATCHES_PER_INSTANCE * FAILURES_PER_BATCH;
    const actors = await sql.query<{ ip: string; event_count: number }>(
      'SELECT ip, event_count FROM actors WHERE ip = ANY($1)',
      [ADDRESSES],
    );
    const counts = actors.rows.map((row): [string, number] => [row.ip, row.event_count]);
    expect(counts.sort(([a], [b]) => a.localeCompare(b))).toEqual([...ADDRESSES].sort().map((ip) => [ip, perAddress]));
    const events = await sql.query<{ n: string }>('SELECT COUNT(*) AS n FROM events');
    expect(Number(events.rows[0].n)).toBe(ADDRESSES.length * perAddress);
  });

  it('serves the same decisions from either instance, and one bouncer key one stream position', async () => {
    const lists = await Promise.all(
      instances.map(async (t) => {
        const res = await request(t.server).get('/v1/decisions').set('X-Api-Key', BOUNCER_KEY).expect(200);
        return (res.body as { value: string }[]).map((d) => d.value).sort();
      }),
    );
    expect(lists[0]).toEqual(BLOCKED);
    expect(lists[1]).toEqual(lists[0]);

    const pull = async (t: TestApp, query: string): Promise<Stream> =>
      (await request(t.server).get(`/v1/decisions/stream${query}`).set('X-Api-Key', BOUNCER_KEY).expect(200))
        .body as Stream;
    const first = await pull(instances[0], '?startup=true');
    expect((first.new ?? []).map((d) => d.value).sort()).toEqual(BLOCKED);
    // The other instance continues the same key's stream: nothing new since.
    const next = await pull(instances[1], '');
    expect(next.new ?? []).toEqual([]);
  });
});

/** The real entry point as an operator starts it, on the shared database. */
function startProcess(env: Record<string, string>): EntryPointRun {
  return startEntryPoint(tmpdir(), { LOG_LEVEL: 'error', ...env });
}

describe('an instance killed (SIGKILL) under load', () => {
  let database: Awaited<ReturnType<typeof postgresDatabase>>;
  let processes: EntryPointRun[] = [];
  let urls: string[] = [];
  let sql: Client;

  beforeAll(async () => {
    database = await postgresDatabase();
    const ports = [await freePort(), await freePort()];
    urls = ports.map((port) => `http://127.0.0.1:${port}`);
    processes = ports.map((port) =>
      startProcess({
        PORT: String(port),
        DATABASE_TYPE: 'postgres',
        DATABASE_URL: database.url,
        SOC_INGEST_TOKEN: INGEST_TOKEN,
        INGEST_RATE_LIMIT: '100000',
      }),
    );
    await eventually(async () => {
      for (const url of urls) {
        await request(url).get('/health/live').expect(200);
      }
    }, 60_000);
    sql = new Client({ connectionString: database.url });
    await sql.connect();
  }, 90_000);

  afterAll(async () => {
    await sql?.end();
    for (const { child, exit } of processes) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    }
    await database?.drop();
  }, 30_000);

  it('keeps every acknowledged event, and the survivor goes on deciding alone', async () => {
    const acknowledged: string[] = [];
    const byInstance = new Map<string, number>();
    let round = 0;
    const send = async (url: string): Promise<void> => {
      const n = round++;
      const events = ADDRESSES.flatMap((ip) => sshFailures(ip, 2, Date.now() - 30_000 + n, 1));
      try {
        const res = await request(url)
          .post('/ingest-log/batch')
          .set('Authorization', `Bearer ${INGEST_TOKEN}`)
          .send(events);
        if (res.status === 202) {
          acknowledged.push(...(res.body as { results: { id: string }[] }).results.map((r) => r.id));
          byInstance.set(url, (byInstance.get(url) ?? 0) + 1);
        }
      } catch {
        // The killed instance's connections drop: those batches were never acknowledged.
      }
    };
    const load = (url: string, until: () => boolean): Promise<void> =>
      (async () => {
        while (!until()) {
          await Promise.all([send(url), send(url), send(url)]);
        }
      })();
    let killed = false;
    let stop = false;
    const loads = [load(urls[0], () => killed), load(urls[1], () => stop)];
    await new Promise((resolve) => setTimeout(resolve, 1500));
    processes[0].child.kill('SIGKILL');
    killed = true;
    await processes[0].exit;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    stop = true;
    await Promise.all(loads);

    // Both instances acknowledged batches: the killed one's are among those checked.
    expect(urls.map((url) => (byInstance.get(url) ?? 0) > 0)).toEqual([true, true]);
    const found = await sql.query<{ n: string }>('SELECT COUNT(*) AS n FROM events WHERE id = ANY($1)', [acknowledged]);
    expect(Number(found.rows[0].n)).toBe(acknowledged.length);
    const blocks = await sql.query<{ value: string; n: string }>(
      `SELECT value, COUNT(*) AS n FROM decisions WHERE action = 'block' AND status = 'active'
       AND revoked_at IS NULL AND expires_at > $1 GROUP BY value HAVING COUNT(*) > 1`,
      [Date.now()],
    );
    expect(blocks.rows).toEqual([]);
    await request(urls[1])
      .post('/ingest-log')
      .set('Authorization', `Bearer ${INGEST_TOKEN}`)
      .send({ source_ip: '192.0.2.200', message: 'after the other instance died' })
      .expect(202);
  }, 60_000);
});

describe('a PostgreSQL database that stops taking writes (a standby, or made read-only)', () => {
  let database: Awaited<ReturnType<typeof postgresDatabase>>;
  let t: TestApp;
  let admin: Client;
  const name = (): string => new URL(database.url).pathname.slice(1);

  /** New sessions of the database read-only or not; the app's open ones are ended, so its pool reconnects. */
  const readOnly = async (on: boolean): Promise<void> => {
    await admin.query(
      on
        ? `ALTER DATABASE ${name()} SET default_transaction_read_only = on`
        : `ALTER DATABASE ${name()} RESET default_transaction_read_only`,
    );
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name()]);
    await new Promise((resolve) => setTimeout(resolve, 300));
  };

  beforeAll(async () => {
    database = await postgresDatabase();
    t = await startApp({ DATABASE_TYPE: 'postgres', DATABASE_URL: database.url, SOC_INGEST_TOKEN: INGEST_TOKEN });
    admin = new Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  }, 30_000);

  afterAll(async () => {
    await admin?.end();
    await t?.close();
    await database?.drop();
  }, 30_000);

  const send = (ip: string) =>
    request(t.server).post('/ingest-log/batch').set('Authorization', `Bearer ${INGEST_TOKEN}`).send(sshFailures(ip, 3));

  it('507 PG_READ_ONLY with nothing acknowledged, not ready, then writes again', async () => {
    await send('192.0.2.10').expect(202);
    await readOnly(true);
    const refusal = await send('192.0.2.11').expect(507);
    expect(refusal.body).toMatchObject({ cause: 'PG_READ_ONLY' });
    const health = await request(t.server).get('/health').expect(503);
    expect(health.body).toMatchObject({ storage: 'unavailable', cause: 'PG_READ_ONLY' });
    await readOnly(false);
    await send('192.0.2.12').expect(202);
    await eventually(async () => {
      await request(t.server).get('/health').expect(200);
    });
    const sql = new Client({ connectionString: database.url });
    await sql.connect();
    try {
      const actors = await sql.query<{ ip: string }>('SELECT ip FROM actors ORDER BY ip');
      expect(actors.rows.map((row) => row.ip)).toEqual(['192.0.2.10', '192.0.2.12']);
    } finally {
      await sql.end();
    }
  }, 30_000);
});

/**
 * One LLM review of an actor at a time across the cluster: both instances are offered the same
 * actors at once (as when each sees part of an actor's events); each actor costs one call.
 */
describe('two instances reviewing with one analyst', () => {
  const IPS = Array.from({ length: 6 }, (_, i) => `192.0.2.${i + 40}`);
  let database: Awaited<ReturnType<typeof postgresDatabase>>;
  let fake: FakeAnthropic;
  let instances: TestApp[] = [];

  beforeAll(async () => {
    database = await postgresDatabase();
    fake = await FakeAnthropic.start();
    // Slow enough that both instances' reviews of an actor would overlap without the claim.
    fake.otherwise({ kind: 'verdict', delayMs: 150 });
    const settings = llmSettings(fake, {
      DATABASE_TYPE: 'postgres',
      DATABASE_URL: database.url,
      SOC_INGEST_TOKEN: INGEST_TOKEN,
    });
    instances = await Promise.all([startApp(settings), startApp(settings)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(instances.map((t) => t.close()));
    await fake?.close();
    await database?.drop();
  }, 30_000);

  it('calls the analyst once per actor when both instances are offered it at the same time', async () => {
    await request(instances[0].server)
      .post('/ingest-log/batch')
      .set('Authorization', `Bearer ${INGEST_TOKEN}`)
      .send(IPS.flatMap((ip) => sshFailures(ip, 1, Date.now() - 10_000)))
      .expect(202);
    await Promise.all(instances.map((t) => reviewsSettled(t)));
    fake.reset();
    fake.otherwise({ kind: 'verdict', delayMs: 150 });
    const verdict: Verdict = {
      level: 'high',
      score: 85,
      categories: ['brute_force'],
      techniques: [],
      confidence: 0.9,
      rationale: 'test',
      provider: 'heuristic',
    };
    for (const ip of IPS) {
      for (const t of instances) {
        t.app.get(ReviewService).consider(ip, verdict, 'block');
      }
    }
    await Promise.all(instances.map((t) => reviewsSettled(t)));
    const reviewed = fake.requests.map((r) => dataBlockOf(r)?.features.actor).sort();
    expect(reviewed).toEqual([...IPS].sort());
    // Later, once those reviews ended, an actor can be reviewed again (by either instance).
    instances[1].app.get(ReviewService).consider(IPS[0], verdict, 'block');
    await reviewsSettled(instances[1]);
    expect(fake.requests).toHaveLength(IPS.length + 1);
  }, 60_000);
});
