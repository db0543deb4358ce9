import * as sqlite3 from 'sqlite3';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { TaggedEvent } from '../src/domain/event';
import { tag } from '../src/ingest/signals/detectors';
import { parseLine } from '../src/ingest/parsers/line';
import { EventWriter } from '../src/memory/event-writer';
import { StoredDecision } from '../src/domain/decision';
import { openReplayApp } from '../src/replay/replay-app';
import { Replayer } from '../src/replay/replay';
import { sshFailures, startApp } from './harness';

const NOW = new Date('2026-11-24T12:00:00Z');

const failure = (time: string, ip: string, port: number) =>
  `Nov 24 ${time} bastion-1 sshd[${port}]: Failed password for root from ${ip} port ${port} ssh2`;

/**
 * Writes (one or a few events each) whose decisions depend on what earlier writes stored:
 * failures spread over many writes, a repeat offender, an IPv6 attacker rotating through its
 * /64, and three addresses of one /24 blocked one after another (range escalation).
 */
function writes(): TaggedEvent[][] {
  const lines: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    lines.push(failure(`10:00:0${i}`, '203.0.113.7', 40000 + i));
  }
  for (let i = 0; i < 6; i += 1) {
    lines.push(failure(`10:05:0${i}`, `2001:db8:9:9::${i + 1}`, 41000 + i));
  }
  for (const host of [10, 11, 12]) {
    for (let i = 0; i < 5; i += 1) {
      lines.push(failure(`10:1${host - 10}:0${i}`, `198.51.100.${host}`, 42000 + host * 10 + i));
    }
  }
  for (let i = 0; i < 5; i += 1) {
    lines.push(failure(`11:00:0${i}`, '203.0.113.7', 43000 + i));
  }
  const events = lines.map((line) => {
    const parsed = parseLine(line, { now: NOW });
    if (!parsed.ok) {
      throw new Error(parsed.reason);
    }
    return tag(parsed.event);
  });
  // Writes of one, two or three events, so that one actor's failures land in many writes.
  const out: TaggedEvent[][] = [];
  for (let i = 0, size = 1; i < events.length; i += size, size = (size % 3) + 1) {
    out.push(events.slice(i, i + size));
  }
  return out;
}

function comparable(decisions: StoredDecision[]) {
  return decisions.map((d) => ({
    value: d.value,
    scope: d.scope,
    action: d.action,
    ruleId: d.ruleId,
    status: d.status,
    createdAt: d.createdAt.toISOString(),
    expiresAt: d.expiresAt.toISOString(),
  }));
}

/**
 * Every decision made, the writes submitted one after another's commit or all at once, on a
 * store that keeps event and actor rows (the service's) or a replay's throwaway store; with the
 * rows each table holds afterwards.
 */
async function decideWithRows(all: TaggedEvent[][], together: boolean, keepRows: boolean) {
  const app = await openReplayApp({}, { keepRows });
  try {
    const replayer = new Replayer(app);
    const latest = all.map((write) => new Date(Math.max(...write.map((e) => e.eventTime.getTime()))));
    if (together) {
      await Promise.all(all.map((write, i) => replayer.write(write, latest[i])));
    } else {
      for (const [i, write] of all.entries()) {
        await replayer.write(write, latest[i]);
      }
    }
    const database = new sqlite3.Database(app.database, sqlite3.OPEN_READONLY);
    try {
      const count = (table: string) =>
        new Promise<number>((resolve, reject) =>
          database.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, (error, row) =>
            error === null ? resolve(row.n) : reject(error),
          ),
        );
      const rows = {
        events: await count('events'),
        actors: await count('actors'),
        decisions: await count('decisions'),
      };
      return { decisions: comparable(replayer.made), rows };
    } finally {
      await new Promise((resolve) => database.close(resolve));
    }
  } finally {
    await app.close();
  }
}

const decide = async (all: TaggedEvent[][], together: boolean) => (await decideWithRows(all, together, true)).decisions;

describe('the write pipeline', () => {
  it('decides exactly as writes that wait for each other do, when later writes are planned before earlier ones commit', async () => {
    const all = writes();
    const oneByOne = await decide(all, false);
    const pipelined = await decide(all, true);
    expect(pipelined).toEqual(oneByOne);
    // The case exercises what earlier writes leave behind: a second, longer block of the
    // repeat offender, a /64 range block and a /24 range escalation.
    const blocks = oneByOne.filter((d) => d.action === 'block').map((d) => [d.value, d.ruleId]);
    expect(blocks).toEqual(
      expect.arrayContaining([
        ['203.0.113.7', 'ssh-brute-force'],
        ['2001:db8:9:9::/64', 'ssh-brute-force'],
        ['198.51.100.0/24', 'range-escalation'],
      ]),
    );
    const offender = oneByOne.filter((d) => d.value === '203.0.113.7' && d.action === 'block');
    expect(offender.map((d) => (Date.parse(d.expiresAt) - Date.parse(d.createdAt)) / 1000)).toEqual([600, 1200]);
  }, 60_000);

  it("decides the same on a replay's throwaway store, which writes no event or actor rows", async () => {
    const all = writes();
    const kept = await decideWithRows(all, true, true);
    const throwaway = await decideWithRows(all, true, false);
    const oneByOne = await decideWithRows(all, false, false);
    expect(throwaway.decisions).toEqual(kept.decisions);
    expect(oneByOne.decisions).toEqual(kept.decisions);
    expect(kept.rows).toEqual({
      events: all.flat().length,
      actors: expect.any(Number),
      decisions: kept.decisions.length,
    });
    expect(kept.rows.actors).toBeGreaterThan(0);
    expect(throwaway.rows).toEqual({ events: 0, actors: 0, decisions: kept.decisions.length });
  }, 60_000);

  it('with an in-memory database (no second connection to read through), writes one flush at a time and still decides', async () => {
    const t = await startApp({}, ':memory:');
    try {
      const answers = await Promise.all(
        sshFailures('203.0.113.9', 6).map((event) => request(t.server).post('/ingest-log').send(event)),
      );
      expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202, 202]);
      const blocks = await request(t.server).get('/decisions?action=block&value=203.0.113.9').expect(200);
      expect(blocks.body.items).toEqual([expect.objectContaining({ ruleId: 'ssh-brute-force', scope: 'ip' })]);
    } finally {
      await t.close();
    }
  });

  it('takes a write that arrives while the application shuts down, and the database still closes', async () => {
    const t = await startApp();
    try {
      await request(t.server).post('/ingest-log').send(sshFailures('203.0.113.10', 1)[0]).expect(202);
      // app.close() runs this hook, then closes the HTTP server (a request can still land),
      // then closes the database.
      await t.app.get(EventWriter, { strict: false }).beforeApplicationShutdown();
      await request(t.server).post('/ingest-log').send(sshFailures('203.0.113.10', 2)[1]).expect(202);
      // It fails on any statement left unfinalized (Nest would log and swallow that).
      await expect(t.app.get(DataSource).destroy()).resolves.toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
