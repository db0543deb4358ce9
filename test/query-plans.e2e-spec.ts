import { DataSource, QueryRunner } from 'typeorm';
import { MemoryTx } from '../src/memory/memory-tx';
import { activeOfAction, decisionList } from '../src/memory/enforcement-queries';
import { DecisionListQuery } from '../src/memory/enforcement-records';
import { DecisionEntity } from '../src/memory/entities/decision.entity';
import { eventsPerMinute } from '../src/memory/console-queries';
import { startApp, TestApp } from './harness';

/**
 * The decision lookups that run on every review, management change and blocklist pull read
 * through the index that bounds them, on the real schema (the migrations). Through the status
 * index, which nearly every decision ever made matches, each would read the whole history.
 */
describe('decision lookups on the real schema', () => {
  let t: TestApp;
  let dataSource: DataSource;
  beforeAll(async () => {
    t = await startApp();
    dataSource = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  /** The plan SQLite chooses for the one query `lookup` sends (its SQL and parameters, captured). */
  async function planOf(
    lookup: (query: (sql: string, parameters?: unknown[]) => Promise<unknown>) => Promise<unknown>,
  ) {
    const sent: [string, unknown[]][] = [];
    await lookup((sql, parameters = []) => {
      sent.push([sql, parameters]);
      return Promise.resolve([]);
    });
    expect(sent).toHaveLength(1);
    const [[sql, parameters]] = sent;
    const rows = await dataSource.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, parameters);
    return rows.map((row) => row.detail).join('; ');
  }
  const tx = (query: (sql: string, parameters?: unknown[]) => Promise<unknown>): MemoryTx =>
    new MemoryTx({ query } as unknown as QueryRunner, new Date());

  const cases: [
    string,
    (query: (sql: string, parameters?: unknown[]) => Promise<unknown>) => Promise<unknown>,
    RegExp,
  ][] = [
    [
      'the decisions in force on one value (MemoryTx.current)',
      (q) => tx(q).current('203.0.113.7'),
      /idx_decisions_value/,
    ],
    [
      'every manual allow in force (MemoryTx.currentWithAction)',
      (q) => tx(q).currentWithAction('allow'),
      /idx_decisions_expiry/,
    ],
    [
      'every ban in force, for the blocklist (activeOfAction)',
      (q) => activeOfAction(q, 'block', new Date()),
      /idx_decisions_expiry/,
    ],
  ];
  it.each(cases)('%s', async (_, lookup, index) => {
    const plan = await planOf(lookup);
    expect(plan).toMatch(index);
    expect(plan).not.toMatch(/idx_decisions_status/);
  });

  it("counts the console's events per minute by source and format from the index alone", async () => {
    const plan = await planOf((q) => eventsPerMinute(q, new Date(Date.now() - 3_600_000)));
    expect(plan).toMatch(/USING COVERING INDEX idx_events_received/);
  });

  const listing = (change: Partial<DecisionListQuery>): DecisionListQuery => ({
    status: 'active',
    inForceOnly: true,
    now: new Date(),
    offset: 0,
    limit: 50,
    ...change,
  });
  const lists: [string, DecisionListQuery, RegExp][] = [
    ['GET /decisions: what is in force', listing({}), /idx_decisions_expiry/],
    ['GET /decisions?action=block', listing({ action: 'block' }), /idx_decisions_expiry/],
    ['GET /decisions?value=…', listing({ value: '203.0.113.7' }), /idx_decisions_value/],
    [
      'GET /decisions?status=pending&active=false: a rare status, whole history',
      listing({ status: 'pending', inForceOnly: false }),
      /idx_decisions_status/,
    ],
  ];
  it.each(lists)('%s', async (_, query, index) => {
    const [sql, parameters] = decisionList(dataSource.getRepository(DecisionEntity), query).getQueryAndParameters();
    const rows = await dataSource.query<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, parameters);
    expect(rows.map((row) => row.detail).join('; ')).toMatch(index);
  });
});
