import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import type { RegimeId, Use } from '@heoga/core';
import {
  openSnapshot,
  runScan,
  type FieldMapping,
  type InputFormat,
  type ScanProgress,
  type ScanReport,
} from '@heoga/scanner';
import { SingleBar } from 'cli-progress';
import { CliError } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { formatBytes } from './index-snapshot.js';

/** Flags of `heoga scan`. */
export interface ScanCommandOptions extends FieldMapping {
  readonly out: string;
  readonly use: Use;
  readonly regime: RegimeId;
  readonly format?: InputFormat;
  /** A snapshot file (`heoga index export`). */
  readonly index?: string;
  /** Or a registry to download the current snapshot from. */
  readonly registry?: string;
  readonly apiKeyFile?: string;
  /** The verifier key the snapshot must be signed with (pins trust). */
  readonly indexKey?: string;
  readonly checkUrls: boolean;
  readonly allowPrivateUrls: boolean;
  readonly threads?: number;
  readonly restart: boolean;
  readonly json: boolean;
}

/**
 * Downloads a registry's current snapshot into the output folder, with the registry's verifier key (from
 * `/v1/log/key`) as the key it must verify under unless the caller pinned one.
 */
async function downloadSnapshot(
  io: CliIo,
  registry: string,
  options: ScanCommandOptions,
): Promise<{ path: string; trustedKey: string }> {
  if (!options.apiKeyFile)
    throw new CliError('USAGE', '--registry needs --api-key-file FILE (an API key with the check scope)');
  const apiKey = (await readFile(options.apiKeyFile, 'utf8')).trim();
  const base = registry.replace(/\/+$/, '');
  let trustedKey = options.indexKey;
  if (trustedKey === undefined) {
    const response = await io.fetch(`${base}/v1/log/key`);
    if (!response.ok) throw new CliError('FETCH_FAILED', `${base}/v1/log/key answered ${response.status}`);
    trustedKey = ((await response.json()) as { verifierKey: string }).verifierKey;
  }
  const response = await io.fetch(`${base}/v1/index/snapshot`, { headers: { authorization: `Bearer ${apiKey}` } });
  if (response.status === 401 || response.status === 403)
    throw new CliError('DENIED', `${base} refused the API key (${response.status}): it needs the check scope`);
  if (!response.ok || response.body === null)
    throw new CliError('FETCH_FAILED', `${base}/v1/index/snapshot answered ${response.status}`);
  await mkdir(options.out, { recursive: true });
  const path = join(options.out, 'snapshot.heoga');
  const temporary = `${path}.download`;
  try {
    await pipeline(Readable.fromWeb(response.body as never), createWriteStream(temporary));
    await rename(temporary, path);
  } finally {
    await rm(temporary, { force: true });
  }
  return { path, trustedKey };
}

function progressBar(io: CliIo) {
  if (!io.stderrIsTty || !io.progressStream) return undefined;
  const bar = new SingleBar({
    format: '{phase} [{bar}] {percentage}% | {records} records | {rate} rec/s | {mbs} MB/s | ETA {eta_formatted}',
    hideCursor: true,
    stream: io.progressStream,
    etaBuffer: 50,
  });
  let started = false;
  return {
    update(p: ScanProgress) {
      const seconds = Math.max(p.elapsedMs / 1000, 0.001);
      const payload = {
        phase: p.phase === 'scanning' ? 'scanning' : 'writing ',
        records: p.records.toLocaleString('en'),
        rate: Math.round(p.recordsThisRun / seconds).toLocaleString('en'),
        mbs: (p.bytesThisRun / 1e6 / seconds).toFixed(1),
      };
      const total = Math.max(p.diskBytesTotal, 1);
      if (!started) {
        bar.start(total, 0, payload);
        started = true;
      }
      bar.update(p.phase === 'writing' ? total : Math.min(p.diskBytesThisRun, total), payload);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

function summaryText(report: ScanReport, out: string, resumedFrom: number): string {
  const v = report.totals.verdicts;
  const lines = [
    `${resumedFrom > 0 ? `resumed after ${resumedFrom.toLocaleString('en')} records; ` : ''}` +
      `${report.totals.records.toLocaleString('en')} records under ${report.context.regime} for ${report.context.use}:`,
    `  cleared ${v.cleared}, blocked ${v.blocked}, licence required ${v['license-required']}, unknown ${v.unknown}, unreadable ${v.unreadable}`,
    `  ${report.totals.matchedRecords} records matched ${report.totals.works} registered works`,
    `wrote ${out}/: ${report.context.outputs.map((o) => `${o.name} (${formatBytes(o.bytes)})`).join(', ')}, report.json, report.html`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `heoga scan INPUT --out DIR`: clears a dataset against a snapshot. */
export async function runScanCommand(io: CliIo, input: string, options: ScanCommandOptions): Promise<ExitCode> {
  if ((options.index === undefined) === (options.registry === undefined))
    throw new CliError('USAGE', 'give the snapshot: --index FILE, or --registry URL --api-key-file FILE');
  const source =
    options.index !== undefined
      ? { path: options.index, ...(options.indexKey === undefined ? {} : { trustedKey: options.indexKey }) }
      : await downloadSnapshot(io, options.registry!, options);
  const snapshot = openSnapshot(source.path, 'trustedKey' in source ? { trustedKey: source.trustedKey } : {});
  if (!('trustedKey' in source) && !options.json)
    io.stderr(
      `heoga: the snapshot verifies under its own key ${snapshot.manifest.key}; pass --index-key to require the registry's\n`,
    );
  const mapping: FieldMapping = {
    ...(options.textField === undefined ? {} : { textField: options.textField }),
    ...(options.urlField === undefined ? {} : { urlField: options.urlField }),
    ...(options.imageField === undefined ? {} : { imageField: options.imageField }),
    ...(options.idField === undefined ? {} : { idField: options.idField }),
  };
  const bar = options.json ? undefined : progressBar(io);
  let result;
  try {
    result = await runScan({
      input,
      ...(options.format === undefined ? {} : { format: options.format }),
      out: options.out,
      snapshot,
      use: options.use,
      regime: options.regime,
      mapping,
      checkUrls: options.checkUrls,
      allowPrivateUrls: options.allowPrivateUrls,
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      restart: options.restart,
      now: io.now,
      ...(bar ? { onProgress: (p: ScanProgress) => bar.update(p) } : {}),
    });
  } finally {
    bar?.stop();
  }
  const report = result.report!;
  if (options.json) {
    io.stdout(
      `${JSON.stringify({
        out: options.out,
        resumedFrom: result.resumedFrom,
        reportSha256: result.reportSha256,
        snapshot: report.context.snapshot,
        totals: report.totals,
        outputs: report.context.outputs,
        quote: result.quote?.totals,
      })}\n`,
    );
  } else {
    io.stdout(summaryText(report, options.out, result.resumedFrom));
  }
  return EXIT.ok;
}
