/**
 * Size limits of the input readers. Every input is hostile: a reader holds at most one record (and one batch) in
 * memory, so each record kind has a ceiling past which it becomes a `bad` record instead of an allocation.
 */

/** Default target size of one {@link RecordBatch} (the sum of its records' sizes). */
export const DEFAULT_BATCH_BYTES = 1 << 20;

/** The longest JSON line, URL line or CSV record read; a longer one becomes a `bad` record ('too large'). */
export const MAX_LINE_BYTES = 128 * 1024 * 1024;

/** The largest folder file or WebDataset sample read; a larger one becomes a `bad` record ('too large'). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

/** Formats a byte count for messages (`512 MiB`). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 * 1024) return `${(n / 1024 / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} GiB`;
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1).replace(/\.0$/, '')} KiB`;
  return `${n} B`;
}

/** The message of an unknown thrown value, bounded so a hostile input cannot flood a report. */
export function errorMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
