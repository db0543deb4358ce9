#!/usr/bin/env node
'use strict';
// The operator CLI (`npx soc ...`): the compiled src/cli/main.ts, which `npm run build` (or
// `npm start`) writes to dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const compiled = join(__dirname, '..', 'dist', 'cli', 'main.js');
if (!existsSync(compiled)) {
  process.stderr.write('soc: the CLI is not built yet; run `npm run build` in the service folder first\n');
  process.exit(1);
}
require(compiled)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
