import { createHash } from 'node:crypto';
import { dirname, isAbsolute, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import {
  createRegistry,
  databaseLocation,
  defaultDeps,
  openDatabase,
  parseCatalog,
  RegistryError,
  type Actor,
  type CatalogFormat,
  type ImportReport,
} from '@heoga/registry';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';

/** Flags of `heoga import`. */
export interface ImportCommandOptions {
  readonly org: string;
  readonly format?: CatalogFormat;
  readonly dryRun: boolean;
  readonly partial: boolean;
  readonly json: boolean;
  /** Local mode: the data directory (default HEOGA_DATA or ./data; HEOGA_DATABASE_URL selects PostgreSQL). */
  readonly data?: string;
  /** Local mode: the email of the organisation admin (or operator) doing the import. */
  readonly as?: string;
  /** Remote mode: the server's base URL. */
  readonly server?: string;
  /** Remote mode: a file holding the API key (never a flag value: clig.dev). */
  readonly apiKeyFile?: string;
}

function formatOf(file: string, given?: CatalogFormat): CatalogFormat {
  if (given) return given;
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(file)) return 'jsonl';
  throw new CliError('USAGE', `cannot tell the format of ${file}: pass --format csv or --format jsonl`);
}

function summary(report: ImportReport, dryRun: boolean): string {
  const verb =
    report.outcome === 'committed'
      ? 'imported'
      : report.outcome === 'dry-run'
        ? 'would import (dry run)'
        : 'rejected: nothing imported';
  const lines = [
    `${verb}: ${report.rowsTotal} rows — ${report.created} new, ${report.updated} updated, ${report.unchanged} unchanged, ${report.rejected} rejected`,
  ];
  for (const e of report.errors.slice(0, 50)) lines.push(`  line ${e.line}: ${e.path}: ${e.message}`);
  if (report.errors.length > 50) lines.push(`  … and ${report.errors.length - 50} more (use --json for all)`);
  if (report.outcome === 'rejected' && !dryRun)
    lines.push('fix the rows above, or pass --partial to import the valid rows');
  return `${lines.join('\n')}\n`;
}

/**
 * `heoga import FILE --org ORG`: bulk catalog import, against the local data directory (`--as EMAIL`) or a server
 * (`--server URL --api-key-file FILE`). Rows with a `file` column are fingerprinted (SHA-256) here, on the
 * organisation's machine; only the hash is sent.
 */
export async function runImport(io: CliIo, file: string, options: ImportCommandOptions): Promise<ExitCode> {
  const format = formatOf(file, options.format);
  let bytes: Uint8Array;
  try {
    bytes = await io.readFile(file);
  } catch (cause) {
    throw new CliError(
      'FILE_UNREADABLE',
      `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      { cause },
    );
  }
  const base = dirname(file);
  const readRelative = (path: string) => io.readFile(isAbsolute(path) ? path : join(base, path));
  const report = options.server
    ? await importRemote(io, bytes, format, options, readRelative)
    : await importLocal(io, bytes, format, options, readRelative);
  io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : summary(report, options.dryRun));
  return report.outcome === 'rejected' ? EXIT.invalidInput : EXIT.ok;
}

async function importLocal(
  io: CliIo,
  bytes: Uint8Array,
  format: CatalogFormat,
  options: ImportCommandOptions,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<ImportReport> {
  if (!options.as)
    throw new CliError('USAGE', 'local import needs --as EMAIL (the organisation admin doing it), or use --server');
  const dataDir = options.data ?? io.vars['HEOGA_DATA'] ?? './data';
  const database = await openDatabase(databaseLocation({ dataDir, databaseUrl: io.vars['HEOGA_DATABASE_URL'] }));
  try {
    const registry = createRegistry(database, defaultDeps(io.vars['HEOGA_PUBLIC_URL'] ?? 'heoga'));
    const account = await database.db
      .selectFrom('accounts')
      .select(['id', 'role'])
      .where('email', '=', options.as.trim().toLowerCase())
      .executeTakeFirst();
    if (!account) throw new CliError('USAGE', `no account ${options.as} in ${dataDir}`);
    const actor = {
      accountId: account.id,
      role: account.role,
      scopes: ['read', 'write', 'import'],
      via: 'local',
    } as Actor;
    const bar =
      io.stderrIsTty && io.progressStream && !options.json
        ? new SingleBar({
            format: 'importing [{bar}] {value}/{total} works',
            hideCursor: true,
            stream: io.progressStream,
          })
        : undefined;
    let started = false;
    try {
      return await registry.imports.importCatalog(actor, options.org, bytes, {
        format,
        dryRun: options.dryRun,
        partial: options.partial,
        readFile,
        onProgress: (done, total) => {
          if (!bar) return;
          if (!started) {
            bar.start(total, 0);
            started = true;
          }
          bar.update(done);
        },
      });
    } finally {
      if (started) bar?.stop();
    }
  } finally {
    await database.close();
  }
}

async function importRemote(
  io: CliIo,
  bytes: Uint8Array,
  format: CatalogFormat,
  options: ImportCommandOptions,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<ImportReport> {
  if (!options.apiKeyFile)
    throw new CliError('USAGE', '--server needs --api-key-file FILE (a file holding the API key)');
  let key: string;
  try {
    key = new TextDecoder().decode(await io.readFile(options.apiKeyFile)).trim();
  } catch (cause) {
    throw new CliError('FILE_UNREADABLE', `cannot read the API key file ${options.apiKeyFile}`, { cause });
  }
  let body = bytes;
  let sentFormat = format;
  let lineMap: number[] | undefined;
  // Rows naming local files: hash them here and send JSON Lines with the hashes, never the files.
  const parsed = parseCatalog(new TextDecoder().decode(bytes), format);
  if (parsed.issues.length === 0 && parsed.rows.some((r) => r.file !== undefined)) {
    const lines: string[] = [];
    lineMap = [];
    for (const row of parsed.rows) {
      const record: Record<string, unknown> = { ...row.record };
      record['rightsHolders'] = ((record['rightsHolders'] as Record<string, unknown>[]) ?? []).map((h) => {
        const id = typeof h['rightsHolderId'] === 'string' ? h['rightsHolderId'] : '';
        return id.startsWith('name=') ? { name: id.slice('name='.length), role: h['role'], share: h['share'] } : h;
      });
      if (row.file !== undefined) {
        const digest = createHash('sha256')
          .update(await readFile(row.file))
          .digest('hex');
        record['fingerprints'] = [
          ...((record['fingerprints'] as unknown[]) ?? []),
          { algorithm: 'sha256', value: digest, fileSha256: digest },
        ];
      }
      lines.push(JSON.stringify(record));
      lineMap.push(row.line);
    }
    body = new TextEncoder().encode(`${lines.join('\n')}\n`);
    sentFormat = 'jsonl';
  }
  const url = new URL(`/v1/organisations/${encodeURIComponent(options.org)}/imports`, options.server);
  url.searchParams.set('format', sentFormat);
  if (options.dryRun) url.searchParams.set('dryRun', 'true');
  if (options.partial) url.searchParams.set('partial', 'true');
  let response: Response;
  try {
    response = await io.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': sentFormat === 'csv' ? 'text/csv' : 'application/x-ndjson',
      },
      body,
    });
  } catch (cause) {
    throw new CliError('FILE_UNREADABLE', `cannot reach ${options.server}: ${(cause as Error).message}`, { cause });
  }
  const payload = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  const mapLine = (line: number) => (lineMap ? (lineMap[line - 1] ?? line) : line);
  if (response.ok) {
    const report = payload as unknown as ImportReport;
    return { ...report, errors: report.errors.map((e) => ({ ...e, line: mapLine(e.line) })) };
  }
  if (payload['code'] === 'IMPORT_REJECTED') {
    const errors = ((payload['errors'] as { path: string; message: string }[]) ?? []).map((e) => {
      const m = /^line (\d+): (.*)$/.exec(e.path);
      return { line: m ? mapLine(Number(m[1])) : 0, path: m ? m[2]! : e.path, message: e.message };
    });
    return {
      outcome: 'rejected',
      importId: null,
      organisationId: options.org,
      fileSha256: '',
      rowsTotal: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      rejected: new Set(errors.map((e) => e.line)).size,
      errors,
    };
  }
  throw new RegistryError(
    (typeof payload['code'] === 'string' ? payload['code'] : 'FORBIDDEN') as never,
    `the server answered ${response.status}: ${typeof payload['detail'] === 'string' ? payload['detail'] : response.statusText}`,
  );
}
