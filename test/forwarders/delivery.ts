import request from 'supertest';
import { INGEST_ROUTES, IngestRoute } from '../../src/metrics/ingest-metrics';
import { TestApp } from '../harness';
import { AuthLine, expectedCounts } from './auth-log';

/** Items the service answered for on `route` (accepted, unparsed and rejected), from /metrics. */
export async function itemsAnswered(t: TestApp, route: IngestRoute): Promise<Record<string, number>> {
  const text = (await request(t.server).get('/metrics').expect(200)).text;
  const counts: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = /^soc_ingest_items_total\{route="([a-z_]+)",status="([a-z]+)"\} (\d+)$/.exec(line);
    if (match !== null && match[1] === route) {
      counts[match[2]] = Number(match[3]);
    }
  }
  return counts;
}

/**
 * Every line of `lines` was answered for on `route` (none lost, none twice), and every line
 * that names an actor is stored under that actor, no more and no fewer.
 */
export async function expectEveryLineDelivered(t: TestApp, lines: AuthLine[], route: IngestRoute): Promise<void> {
  expect(INGEST_ROUTES).toContain(route);
  const usable = lines.filter((l) => l.actor !== null).length;
  expect(await itemsAnswered(t, route)).toEqual({
    accepted: usable,
    unparsed: lines.length - usable,
    rejected: 0,
  });
  for (const [actor, count] of expectedCounts(lines)) {
    const view = await request(t.server).get(`/actors/${actor}`).expect(200);
    expect({ actor, stored: view.body.profile.eventCount }).toEqual({ actor, stored: count });
  }
}
