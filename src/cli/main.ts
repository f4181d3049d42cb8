#!/usr/bin/env node
import { processIo } from './cli-io.js';
import { runTokengate } from './cli-run.js';

// The `tokengate` command. Everything happens in `runTokengate`; this file only connects it to
// the process (arguments, standard streams, exit code).
process.exitCode = await runTokengate(process.argv.slice(2), processIo());
