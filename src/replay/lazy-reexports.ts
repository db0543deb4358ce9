import type { Plugin } from 'esbuild';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

/** A line of TypeScript's CommonJS output that re-exports a whole module. */
const REEXPORT = /^__exportStar\(require\("(\.[^"]+)"\), exports\);$/;

/** What else such an index holds: `"use strict"`, tslib's two helpers, the `__esModule` mark. */
function isBoilerplate(line: string): boolean {
  return (
    line === '' ||
    line === '"use strict";' ||
    line.startsWith('//') ||
    line === 'Object.defineProperty(exports, "__esModule", { value: true });'
  );
}

/** The module's source without tslib's `__createBinding` and `__exportStar` helper definitions. */
function withoutHelpers(source: string): string {
  return source
    .replace(/^var __createBinding = [\s\S]*?^\}\)\);$/m, '')
    .replace(/^var __exportStar = [\s\S]*?^\};$/m, '');
}

/**
 * The same exports, each behind a getter that loads its module the first time it is read:
 * for an index that only re-exports modules (`__exportStar(require("./x"), exports)` lines and
 * nothing else), or null for any other source. Names are taken from the modules themselves,
 * loaded here at build time, in the order and with the precedence of `__exportStar` (an
 * earlier module's name wins).
 */
export function lazyReexportSource(file: string, source: string): string | null {
  const specifiers: string[] = [];
  for (const line of withoutHelpers(source)
    .split('\n')
    .map((text) => text.trim())) {
    const match = REEXPORT.exec(line);
    if (match !== null) {
      specifiers.push(match[1]);
    } else if (!isBoilerplate(line)) {
      return null;
    }
  }
  if (specifiers.length === 0) {
    return null;
  }
  const load = createRequire(file);
  const seen = new Set<string>();
  const out = ['"use strict";', 'Object.defineProperty(exports, "__esModule", { value: true });', 'const loaded = [];'];
  specifiers.forEach((specifier, index) => {
    out.push(`const load${index} = () => (loaded[${index}] ??= require(${JSON.stringify(specifier)}));`);
    for (const name of Object.keys(load(specifier) as object)) {
      if (name !== 'default' && !seen.has(name)) {
        seen.add(name);
        out.push(
          `Object.defineProperty(exports, ${JSON.stringify(name)}, { enumerable: true, get: () => load${index}()[${JSON.stringify(name)}] });`,
        );
      }
    }
  });
  return `${out.join('\n')}\n`;
}

/**
 * An esbuild plugin for the replay's bundles (scripts/bundle-replay.mjs): the modules matched
 * by `filter`, indexes that re-export many modules, export each name through a getter, so
 * that only the modules whose names are used ever load. class-validator's decorator index is
 * one: the replay's main thread uses a dozen of its 114 decorators (the settings' validation),
 * and loading all of them, and validator.js's functions behind them, was about a tenth of
 * what it spent loading. An index that holds anything else is bundled as it is, with a warning.
 */
export function lazyReexports(filter: RegExp): Plugin {
  return {
    name: 'lazy-reexports',
    setup(build) {
      build.onLoad({ filter }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const lazy = lazyReexportSource(args.path, source);
        return {
          contents: lazy ?? source,
          loader: 'js',
          resolveDir: dirname(args.path),
          warnings: lazy === null ? [{ text: `${args.path} is not only re-exports: bundled as it is` }] : [],
        };
      });
    },
  };
}
