#!/usr/bin/env node
// The `cher-hedger` command; the code lives in dist/cli.js (built by `npm run build`).
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
