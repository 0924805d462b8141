import { Command, CommanderError, Option } from 'commander';
import {
  CoreError,
  FINGERPRINT_KINDS,
  InvalidInputError,
  REGIME_IDS,
  USES,
  type FingerprintKind,
  type RegimeId,
  type Use,
} from '@heoga/core';
import { RegistryError, type CatalogFormat } from '@heoga/registry';
import { ConfigError } from '@heoga/server';
import { INPUT_FORMATS, ScanError, type InputFormat } from '@heoga/scanner';
import { runCheckUrl } from './commands/check-url.js';
import { runEvaluate } from './commands/evaluate.js';
import { runFingerprint } from './commands/fingerprint.js';
import { runImport } from './commands/import.js';
import { runIndexExport, runIndexInfo } from './commands/index-snapshot.js';
import { runScanCommand } from './commands/scan.js';
import { runServe } from './commands/serve.js';
import { runSignals, SIGNAL_FORMATS, type SignalFormat } from './commands/signals.js';
import { runVerify, runVerifyOrder } from './commands/verify.js';
import { runWitness } from './commands/witness.js';
import { runRegimes, runUses } from './commands/regimes.js';
import { runTour } from './commands/tour.js';
import { CliError } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { makeStyle } from './format/style.js';
import type { CliIo } from './io.js';
import { VERSION } from './version.js';

const MAX_ISSUES_SHOWN = 20;

function buildProgram(io: CliIo, setResult: (code: ExitCode) => void): Command {
  const program = new Command('heoga');
  const style = () => makeStyle(io.env.color && program.opts<{ color: boolean }>().color);
  program
    .description('heoga (허가): a permission-first clearinghouse for AI training data')
    .version(VERSION, '--version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .option('--no-color', 'never colour the output')
    .option('--debug', 'print stack traces of unexpected errors')
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  program
    .command('evaluate')
    .description('combine the statements about one item and print the verdict for a use under a regime')
    .argument('<file>', 'statements as JSON (an array, or {"statements": [...]}); - reads standard input')
    .addOption(new Option('--regime <regime>', 'the legal regime to apply').choices(REGIME_IDS).makeOptionMandatory())
    .addOption(new Option('--use <use>', 'the use to clear').choices(USES).makeOptionMandatory())
    .option('--at <time>', 'evaluate at this RFC 3339 time (licence validity); default: now')
    .option('--json', 'print the verdict as JSON (a stable contract)', false)
    .option('--exit-code', `exit with ${EXIT.notCleared} when the verdict is not cleared`, false)
    .action(
      async (file: string, opts: { regime: RegimeId; use: Use; at?: string; json: boolean; exitCode: boolean }) => {
        setResult(
          await runEvaluate(io, style(), file, {
            regime: opts.regime,
            use: opts.use,
            json: opts.json,
            exitCode: opts.exitCode,
            ...(opts.at === undefined ? {} : { at: opts.at }),
          }),
        );
      },
    );

  program
    .command('fingerprint')
    .description('fingerprint texts, images, audio and video on this machine (nothing is uploaded)')
    .argument('<files...>', 'files to fingerprint; the kind of each is read from its first bytes')
    .addOption(
      new Option('--kind <kind>', 'treat every file as this kind instead of sniffing').choices(FINGERPRINT_KINDS),
    )
    .option('--json', 'print one JSON object per file (heoga-fingerprint/1, a stable contract)', false)
    .action(async (files: string[], opts: { json: boolean; kind?: FingerprintKind }) => {
      setResult(
        await runFingerprint(io, style(), files, { json: opts.json, ...(opts.kind ? { kind: opts.kind } : {}) }),
      );
    });

  program
    .command('check-url')
    .description('read every AI-use signal for URLs: allow / deny / license / unknown per use, with evidence')
    .argument('[urls...]', 'URLs to check')
    .addOption(new Option('--use <use>', 'answer this use only').choices(USES))
    .option('--user-agent <name>', "the crawler's product token for robots.txt, X-Robots-Tag and ai.txt")
    .option('--urls <file>', 'a file of URLs, one per line ("-" for standard input)')
    .option('--allow-private', 'permit loopback and private addresses (local test sites only)', false)
    .option('--json', 'print one JSON object per URL (a stable contract)', false)
    .action(
      async (
        urls: string[],
        opts: { use?: Use; userAgent?: string; urls?: string; allowPrivate: boolean; json: boolean },
      ) => {
        setResult(
          await runCheckUrl(io, style(), urls, {
            json: opts.json,
            allowPrivate: opts.allowPrivate,
            ...(opts.use ? { use: opts.use } : {}),
            ...(opts.userAgent ? { userAgent: opts.userAgent } : {}),
            ...(opts.urls ? { urls: opts.urls } : {}),
          }),
        );
      },
    );

  program
    .command('regimes')
    .description('list the legal regimes, the law each models, and what each standing yields')
    .option('--json', 'print the regime tables as JSON', false)
    .action((opts: { json: boolean }) => setResult(runRegimes(io, style(), opts.json)));

  program
    .command('uses')
    .description('list the uses a rights holder can allow, refuse or license')
    .option('--json', 'print the uses as JSON', false)
    .action((opts: { json: boolean }) => setResult(runUses(io, style(), opts.json)));

  program
    .command('serve')
    .description('run the registry API and docs (http://localhost:8080) on SQLite in ./data, or PostgreSQL')
    .option('--port <port>', 'port to listen on (HEOGA_PORT, default 8080)', (v) => parsePort(v))
    .option('--host <host>', 'address to listen on (HEOGA_HOST, default 0.0.0.0)')
    .option('--data <dir>', 'data directory for SQLite (HEOGA_DATA, default ./data)')
    .option('--no-demo', 'do not load the demo catalog into an empty database')
    .action(async (opts: { port?: number; host?: string; data?: string; demo: boolean }) => {
      setResult(
        await runServe(io, {
          demo: opts.demo,
          ...(opts.port === undefined ? {} : { port: opts.port }),
          ...(opts.host === undefined ? {} : { host: opts.host }),
          ...(opts.data === undefined ? {} : { data: opts.data }),
        }),
      );
    });

  program
    .command('import')
    .description("bulk-import an organisation's catalog (CSV or JSON Lines), locally or on a server")
    .argument('<file>', 'the catalog file (.csv, .jsonl)')
    .requiredOption('--org <id>', 'the organisation to import into')
    .addOption(
      new Option('--format <format>', 'catalog format (default: from the file name)').choices(['csv', 'jsonl']),
    )
    .option('-n, --dry-run', 'validate and report; write nothing', false)
    .option('--partial', 'import the valid rows and report the rest (default: all or nothing)', false)
    .option('--json', 'print the import report as JSON', false)
    .option('--data <dir>', 'local mode: data directory (HEOGA_DATA, default ./data)')
    .option('--as <email>', 'local mode: the organisation admin doing the import')
    .addOption(new Option('--server <url>', 'remote mode: the heoga server').conflicts(['data', 'as']))
    .option('--api-key-file <file>', 'remote mode: file holding an API key with the import scope')
    .action(
      async (
        file: string,
        opts: {
          org: string;
          format?: CatalogFormat;
          dryRun: boolean;
          partial: boolean;
          json: boolean;
          data?: string;
          as?: string;
          server?: string;
          apiKeyFile?: string;
        },
      ) => {
        setResult(await runImport(io, file, opts));
      },
    );

  const index = program.command('index').description('registry snapshots of match data, for scanning datasets locally');
  index
    .command('export')
    .description("write a signed snapshot of the registry's match data (SQLite in ./data, or PostgreSQL)")
    .requiredOption('--out <file>', 'the snapshot file to write (e.g. index.heoga)')
    .option('--data <dir>', 'data directory (HEOGA_DATA, default ./data)')
    .option('--json', 'print what was written as JSON', false)
    .action(async (opts: { out: string; data?: string; json: boolean }) => {
      setResult(await runIndexExport(io, opts));
    });
  index
    .command('info')
    .description('verify a snapshot (signature and checksums) and describe it')
    .argument('<file>', 'the snapshot file')
    .option('--index-key <vkey>', "require this verifier key (the registry's, from /v1/log/key)")
    .option('--json', 'print the manifest as JSON', false)
    .action((file: string, opts: { json: boolean; indexKey?: string }) => {
      setResult(runIndexInfo(io, file, { json: opts.json, ...(opts.indexKey ? { trustedKey: opts.indexKey } : {}) }));
    });

  program
    .command('scan')
    .description('clear a whole dataset against the registry, locally, on every core, resumably')
    .argument('<input>', 'JSON Lines (.jsonl, .gz, .zst), CSV, Parquet, WebDataset .tar, a folder, or a URL list')
    .requiredOption(
      '--out <dir>',
      'output folder: cleared.<format>, verdicts.jsonl, quote.json, report.json, report.html',
    )
    .addOption(new Option('--regime <regime>', 'the legal regime to apply').choices(REGIME_IDS).makeOptionMandatory())
    .addOption(new Option('--use <use>', 'the use to clear').choices(USES).makeOptionMandatory())
    .option('--index <file>', 'the snapshot to scan against (heoga index export)')
    .option('--registry <url>', 'or download the current snapshot from this registry')
    .option('--api-key-file <file>', 'with --registry: file holding an API key with the check scope')
    .option('--index-key <vkey>', 'require the snapshot to be signed by this verifier key')
    .addOption(new Option('--format <format>', 'input format (default: from the name)').choices(INPUT_FORMATS))
    .option('--text-field <name>', 'field holding the text (default: text, content, body, …)')
    .option('--url-field <name>', 'field holding the source URL (default: url, source_url, …)')
    .option('--image-field <name>', 'field holding image bytes (default: image, jpg, png, …)')
    .option('--id-field <name>', 'field holding the record id (default: id, _id, key, …)')
    .option('--check-urls', "also read each URL's site signals (robots.txt, TDMRep, headers…)", false)
    .option('--allow-private-urls', 'let --check-urls reach loopback and private addresses (tests only)', false)
    .option('--threads <n>', 'worker threads (default: one per core; 0: none)', (v) => parseThreads(v))
    .option('--restart', "discard the output folder's checkpoint and start again", false)
    .option('--json', 'print the summary as JSON (a stable contract)', false)
    .action(
      async (
        input: string,
        opts: {
          out: string;
          regime: RegimeId;
          use: Use;
          index?: string;
          registry?: string;
          apiKeyFile?: string;
          indexKey?: string;
          format?: InputFormat;
          textField?: string;
          urlField?: string;
          imageField?: string;
          idField?: string;
          checkUrls: boolean;
          allowPrivateUrls: boolean;
          threads?: number;
          restart: boolean;
          json: boolean;
        },
      ) => {
        setResult(await runScanCommand(io, input, opts));
      },
    );

  program
    .command('signals')
    .description('publish one policy as every AI-use signal: robots.txt, tdmrep.json, TDM policy, RSL, ai.txt, headers')
    .requiredOption(
      '--policy <file>',
      'JSON: {"policy": {"ai-train": {"kind": "deny"}, …}, "licenseUrl"?, "tdmPolicyUrl"?, "licenceUrl"?}',
    )
    .addOption(new Option('--format <format>', 'which signal to write').choices(SIGNAL_FORMATS).default('all'))
    .action(async (opts: { policy: string; format: SignalFormat }) => {
      setResult(await runSignals(io, opts));
    });

  const collect = (value: string, previous: string[]) => [...previous, value];
  program
    .command('verify')
    .description('check a transparency-log receipt offline: checkpoint signature and inclusion')
    .argument('<receipt>', 'the receipt JSON file (GET /v1/log/receipts); - reads standard input')
    .requiredOption('--log-key <vkey>', "the log's verifier key (GET /v1/log/key); repeatable", collect, [])
    .option(
      '--witness-key <vkey>',
      "a witness's verifier key (cosignature/v1): require its cosignature and show when it witnessed; repeatable",
      collect,
      [],
    )
    .option('--json', 'print the verified entry as JSON', false)
    .action(async (file: string, opts: { logKey: string[]; witnessKey: string[]; json: boolean }) => {
      setResult(await runVerify(io, style(), file, opts));
    });

  program
    .command('witness')
    .description(
      'witness a transparency log: cosign each new checkpoint that extends the last one cosigned; refuse forks (exit 5)',
    )
    .requiredOption('--log <url>', 'the log server, e.g. http://localhost:8080')
    .requiredOption('--log-key <vkey>', "the log's verifier key (GET /v1/log/key, checked out of band)")
    .requiredOption('--key <file>', 'the witness signer key file (cosignature/v1); created with a new key if missing')
    .option('--name <name>', 'the key name when creating a new key', 'heoga-witness')
    .option('--state <file>', 'the last checkpoint cosigned (default: the key file with .state for .key)')
    .option('--once', 'poll once and exit', false)
    .option('--interval <seconds>', 'seconds between polls', (v) => parseInterval(v), 60)
    .action(
      async (opts: {
        log: string;
        logKey: string;
        key: string;
        name: string;
        state?: string;
        once: boolean;
        interval: number;
      }) => {
        setResult(await runWitness(io, opts));
      },
    );

  program
    .command('verify-order')
    .description('prove that one logged entry (a permission) precedes another (a use) in one consistent log')
    .argument('<earlier>', 'receipt of the entry that must come first')
    .argument('<later>', 'receipt of the entry that must come after')
    .requiredOption('--log-key <vkey>', "the log's verifier key; repeatable", collect, [])
    .option(
      '--log <url>',
      'the log server, to fetch a consistency proof when the receipts are on different checkpoints',
    )
    .action(async (earlier: string, later: string, opts: { logKey: string[]; log?: string }) => {
      setResult(await runVerifyOrder(io, style(), earlier, later, opts));
    });

  program
    .command('tour')
    .description('what heoga is, with one item evaluated under every regime (npm start runs this)')
    .action(() => setResult(runTour(io, style(), program.helpInformation())));

  return program;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new CliError('USAGE', `--port must be 0-65535, not ${value}`);
  return port;
}

function parseThreads(value: string): number {
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 0 || threads > 256)
    throw new CliError('USAGE', `--threads must be 0-256, not ${value}`);
  return threads;
}

function parseInterval(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > 86_400)
    throw new CliError('USAGE', `--interval must be 1-86400 seconds, not ${value}`);
  return seconds;
}

function reportError(io: CliIo, error: unknown, debug: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has already written its message (or the help) to stderr/stdout.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof InvalidInputError) {
    const lines = [`heoga: ${error.message} [${error.code}]`];
    for (const issue of error.issues.slice(0, MAX_ISSUES_SHOWN)) lines.push(`  ${issue.path}: ${issue.message}`);
    if (error.issues.length > MAX_ISSUES_SHOWN) lines.push(`  … and ${error.issues.length - MAX_ISSUES_SHOWN} more`);
    io.stderr(`${lines.join('\n')}\n`);
    return EXIT.invalidInput;
  }
  if (error instanceof CoreError) {
    io.stderr(`heoga: ${error.message} [${error.code}]\n`);
    return EXIT.invalidInput;
  }
  if (error instanceof RegistryError) {
    const lines = [`heoga: ${error.message} [${error.code}]`];
    for (const issue of error.issues.slice(0, MAX_ISSUES_SHOWN)) lines.push(`  ${issue.path}: ${issue.message}`);
    io.stderr(`${lines.join('\n')}\n`);
    if (error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED') return EXIT.denied;
    return error.code === 'STORAGE_FAILED' ? EXIT.io : EXIT.invalidInput;
  }
  if (error instanceof ScanError) {
    io.stderr(`heoga: ${error.message} [${error.code}]\n`);
    if (error.code === 'INPUT_UNREADABLE' || error.code === 'OUTPUT_UNWRITABLE') return EXIT.io;
    return error.code === 'INPUT_FORMAT_UNKNOWN' ? EXIT.usage : EXIT.invalidInput;
  }
  if (error instanceof ConfigError) {
    io.stderr(`heoga: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    io.stderr(`heoga: ${error.message}${error.hint ? `\n  ${error.hint}` : ''}\n`);
    return error.exitCode;
  }
  const detail =
    debug && error instanceof Error && error.stack ? `\n${error.stack}` : ' (run with --debug for details)';
  io.stderr(`heoga: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n`);
  return EXIT.internal;
}

/**
 * Runs the heoga command with `args` (without the node and script paths) and returns the exit code. Never calls
 * `process.exit`; `bin.ts` does, so that tests run the CLI in-process.
 *
 * @example
 * ```ts
 * const code = await runCli(['evaluate', '--regime', 'opt-out', '--use', 'ai-train', 'statements.json'], io);
 * ```
 */
export async function runCli(args: readonly string[], io: CliIo): Promise<ExitCode> {
  let result: ExitCode = EXIT.ok;
  const program = buildProgram(io, (code) => {
    result = code;
  });
  if (args.length === 0) {
    io.stdout(program.helpInformation());
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return result;
  } catch (error) {
    return reportError(io, error, io.env.debug || args.includes('--debug'));
  }
}
