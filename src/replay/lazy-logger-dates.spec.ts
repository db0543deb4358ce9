import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lazyLoggerDates } from './lazy-logger-dates';

/** Bundles `contents` (resolved from `from`) with the plugin; returns the code and esbuild's warnings. */
async function bundleWithPlugin(contents: string, from: string): Promise<{ code: string; warnings: string[] }> {
  const result = await build({
    stdin: { contents, resolveDir: from },
    bundle: true,
    platform: 'node',
    write: false,
    logLevel: 'silent',
    plugins: [lazyLoggerDates],
    external: ['@nestjs/microservices', '@nestjs/websockets', 'class-transformer', 'class-validator'],
  });
  return { code: result.outputFiles[0].text, warnings: result.warnings.map((warning) => warning.text) };
}

describe('lazyLoggerDates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lazy-logger-dates-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds NestJS's logger date formats when a line is logged, not as the bundle loads", async () => {
    const { code, warnings } = await bundleWithPlugin("module.exports = require('@nestjs/common');", process.cwd());
    expect(warnings).toEqual([]);
    const bundle = join(dir, 'bundle.js');
    writeFileSync(bundle, code);
    // Counts the formats built while the bundle loads, then while one logger writes two lines.
    const script = `
      let built = 0;
      const Format = Intl.DateTimeFormat;
      Intl.DateTimeFormat = function (...args) { built += 1; return new Format(...args); };
      const { ConsoleLogger } = require(${JSON.stringify(bundle)});
      const atLoad = built;
      const logger = new ConsoleLogger('Replay', { timestamp: true, colors: false });
      logger.log('first');
      logger.log('second');
      process.stderr.write(JSON.stringify({ atLoad, afterTwoLines: built }));
    `;
    const out = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stderr)).toEqual({ atLoad: 0, afterTwoLines: 1 });
    // The date as NestJS writes it, from the same format, only built later.
    const format = new Intl.DateTimeFormat(undefined, {
      year: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      day: '2-digit',
      month: '2-digit',
    });
    const shape = (text: string) => text.replace(/\d+/g, '0');
    const stamp = /^\[Nest\] \d+ {2}- (.+?) +LOG \[Replay\] first$/m.exec(out.stdout);
    expect(shape(stamp?.[1] ?? out.stdout)).toBe(shape(format.format(new Date())));
  });

  it('leaves a logger module that no longer builds its format that way as it is, and says so', async () => {
    const services = join(dir, 'node_modules', '@nestjs', 'common', 'services');
    mkdirSync(services, { recursive: true });
    const changed =
      'const dateTimeFormatter = { format: (date) => String(date) };\nmodule.exports = { dateTimeFormatter };\n';
    writeFileSync(join(services, 'logger.service.js'), changed);
    const { code, warnings } = await bundleWithPlugin(
      "module.exports = require('./node_modules/@nestjs/common/services/logger.service.js');",
      dir,
    );
    expect(warnings).toEqual([expect.stringMatching(/logger\.service\.js no longer builds its date format as shown/)]);
    expect(code).toContain('format: (date) => String(date)');
  });
});
