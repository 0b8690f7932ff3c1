#!/usr/bin/env node
'use strict';
require('../dist/cli/lanterne.js').buildCli().parseAsync(process.argv).catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
