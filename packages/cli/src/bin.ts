#!/usr/bin/env node
// The edge: the only module of the CLI that reads `process`. Everything else gets a `CliIo`.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { buffer } from 'node:stream/consumers';
import { runCli } from './cli.js';
import type { CliIo } from './io.js';

const env = process.env;
const lang = /^ko/i.test(env['HEOGA_LANG'] ?? env['LC_ALL'] ?? env['LANG'] ?? '') ? 'ko' : 'en';
const io: CliIo = {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
  readFile: async (path) => new Uint8Array(await readFile(path)),
  writeFile: (path, data, options = {}) =>
    writeFile(path, data, { mode: options.mode ?? 0o666, flag: options.exclusive === true ? 'wx' : 'w' }),
  rename: (from, to) => rename(from, to),
  readStdin: async () => new Uint8Array(await buffer(process.stdin)),
  now: () => new Date(),
  vars: env,
  stderrIsTty: process.stderr.isTTY === true,
  progressStream: process.stderr,
  untilShutdown: () =>
    new Promise((resolve) => {
      process.once('SIGINT', () => resolve('SIGINT'));
      process.once('SIGTERM', () => resolve('SIGTERM'));
    }),
  fetch: globalThis.fetch,
  env: {
    color: process.stdout.isTTY === true && !env['NO_COLOR'] && env['TERM'] !== 'dumb',
    lang,
    debug: env['HEOGA_DEBUG'] === '1',
  },
};

process.exitCode = await runCli(process.argv.slice(2), io);
