import { basename } from 'node:path';
import { explainLine } from '../src/explain/explain-line';
import { batchFile } from '../src/replay/line-batches';
import { Replayer } from '../src/replay/replay';
import { openReplayApp, ReplayApp } from '../src/replay/replay-app';
import { loadCaseFiles, loadLogExpectations } from './corpus';

/**
 * One table-test runner for the whole corpus (test/corpus.ts says what is in it): every line
 * of every `.cases.yaml` explained as POST /explain would; every real log replayed through the
 * service on event time, and each actor's fate checked.
 */
const caseFiles = loadCaseFiles();

describe.each(caseFiles.map((file) => ({ name: `${file.service}/${basename(file.file)}`, file })))(
  'corpus $name',
  ({ file }) => {
    const now = new Date(file.now);
    it.each(file.cases.map((row) => ({ ...row, title: row.line.slice(0, 110) })))('$title', (row) => {
      const explained = explainLine(row.line, { now, clampFuture: false });
      if (row.actor === null) {
        expect(explained.actor).toBeNull();
        if (row.reason !== undefined && explained.actor === null) {
          expect(explained.reason).toContain(row.reason);
        }
        return;
      }
      expect(explained).toMatchObject({ actor: String(row.actor), scope: row.scope ?? 'ip' });
      if (explained.actor === null) {
        return;
      }
      if (row.signals !== undefined) {
        expect(explained.signals).toEqual(row.signals);
      }
      if (row.rule !== undefined) {
        expect(explained.matches[0]?.ruleId).toBe(row.rule);
      }
      if (row.time !== undefined) {
        expect(explained.time).toBe(new Date(row.time).toISOString());
      }
      if (row.attempt !== undefined) {
        expect(explained.attempt).toMatchObject(row.attempt);
      }
    });
  },
);

describe.each(loadLogExpectations().map((expectation) => ({ name: basename(expectation.log), expectation })))(
  'corpus log $name',
  ({ expectation }) => {
    let app: ReplayApp;
    let blocked: Set<string>;
    let rules: Map<string, Set<string>>;
    beforeAll(async () => {
      app = await openReplayApp({}, { keepRows: true });
      const source = batchFile(expectation.log, {
        now: new Date(),
        nowFromLog: true,
        batchSize: 20_000,
        batchSpanSeconds: 600,
      });
      const result = await new Replayer(app).batches(source);
      blocked = new Set(result.decisions.filter((d) => d.action === 'block').map((d) => d.value));
      rules = new Map();
      for (const decision of result.decisions) {
        rules.set(decision.value, (rules.get(decision.value) ?? new Set()).add(decision.ruleId));
      }
    }, 60_000);
    afterAll(() => app.close());

    it.each(Object.entries(expectation.actors).map(([actor, expected]) => ({ actor, expected })))(
      '$actor',
      async ({ actor, expected }) => {
        expect({ actor, blocked: blocked.has(actor) }).toEqual({ actor, blocked: expected.blocked });
        if (expected.rule !== undefined) {
          expect([...(rules.get(actor) ?? [])]).toContain(expected.rule);
        }
        if (expected.attempts !== undefined) {
          const profile = await app.memory.getActor(actor);
          expect(profile?.signalCounts.auth_failure ?? 0).toBe(expected.attempts);
        }
      },
    );
  },
);
