import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The line each of NestJS's two loggers (Logger, ConsoleLogger) builds its date format with. */
const EAGER = 'const dateTimeFormatter = new Intl.DateTimeFormat(';

const LAZY = `
function lazyDateTimeFormat(locales, options) {
  let format;
  return { format: (date) => (format ??= new Intl.DateTimeFormat(locales, options)).format(date) };
}
`;

/**
 * An esbuild plugin for the replay's bundles (scripts/bundle-replay.mjs). NestJS's loggers
 * each build an Intl date format as their module loads, which makes the process load ICU's
 * locale data right there: about 12 ms on the replay's main thread, before it can boot, for a
 * format the replay never uses (its logger is off). In the bundle, the format is built the
 * first time a log line asks for it, with the same arguments. Should NestJS change that line,
 * the module is bundled as it is, with a warning.
 */
export const lazyLoggerDates: Plugin = {
  name: 'lazy-logger-dates',
  setup(build) {
    build.onLoad({ filter: /[\\/]@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const found = source.includes(EAGER);
      return {
        contents: found ? `${source.replace(EAGER, 'const dateTimeFormatter = lazyDateTimeFormat(')}${LAZY}` : source,
        loader: 'js',
        resolveDir: dirname(args.path),
        warnings: found ? [] : [{ text: `${args.path} no longer builds its date format as shown: left as it is` }],
      };
    });
  },
};
