#!/usr/bin/env node
/** The `venuekit` executable: runs the command line on this process's arguments and streams, and exits with its status. */
import { runCli } from './cli.js';
import { cliIo } from './io.js';

void runCli(process.argv.slice(2), cliIo()).then((code) => {
  process.exitCode = code;
  // A handle left open by a dependency must not keep a finished command alive.
  setTimeout(() => process.exit(code), 2000).unref();
});
