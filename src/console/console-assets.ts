import { Injectable } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The console's stylesheet and script, read once at start-up from assets/ beside this file
 * (nest build copies them into dist; see nest-cli.json). No build step, no bundler: a reviewer
 * reads exactly what the browser runs.
 */
@Injectable()
export class ConsoleAssets {
  readonly css = readFileSync(join(__dirname, 'assets', 'console.css'), 'utf8');
  readonly js = readFileSync(join(__dirname, 'assets', 'console.js'), 'utf8');
  readonly icon = readFileSync(join(__dirname, 'assets', 'favicon.svg'), 'utf8');
}
