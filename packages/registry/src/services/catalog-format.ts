import { findMinorUnitDigits, USES, type InputIssue } from '@heoga/core';
import { parse as parseCsv } from 'csv-parse/sync';

/**
 * Catalog files for bulk import: CSV or JSON Lines, one work per row (docs/import.md lists the columns).
 * Every row becomes either a work input (checked later by the same validation as the API) or a list of issues
 * with its line number. Nothing here throws on bad content.
 */
export type CatalogFormat = 'csv' | 'jsonl';

/** The largest catalog file accepted (256 MiB) and row count (1,000,000). */
export const CATALOG_LIMITS = { maxBytes: 256 * 1024 * 1024, maxRows: 1_000_000 } as const;

/** One row of a catalog, before validation: the line it started on and what it says. */
export interface CatalogRow {
  readonly line: number;
  readonly record: Record<string, unknown>;
  /** A local file to fingerprint (SHA-256), relative to the catalog file. */
  readonly file?: string;
  /** Rights holders named rather than referenced by id (`name=…` in CSV): found or created for the organisation. */
  readonly namedHolders: readonly { readonly index: number; readonly name: string }[];
}

/** A catalog that could not be read as a whole, or per-row issues. */
export interface CatalogParse {
  readonly rows: readonly CatalogRow[];
  readonly issues: readonly (InputIssue & { readonly line: number })[];
}

const IDENTIFIER_COLUMNS: Record<string, string> = {
  isbn: 'isbn',
  issn: 'issn',
  isrc: 'isrc',
  iswc: 'iswc',
  isan: 'isan',
  uci: 'uci',
  kcc: 'kcc',
  url: 'url',
  url_prefix: 'url-prefix',
};

/** Converts a decimal amount in major units (`2.50` EUR) to integer minor units, exactly (no floating point). */
export function toMinorUnits(amount: string, currency: string): number | undefined {
  const digits = findMinorUnitDigits(currency);
  const trimmed = amount.trim();
  // Commas are thousands separators only (50,000); a decimal comma (2,50) is refused rather than misread.
  if (trimmed.includes(',') && !/^\d{1,3}(?:,\d{3})+(?:\.\d+)?$/.test(trimmed)) return undefined;
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(trimmed.replaceAll(',', ''));
  if (digits === undefined || !m) return undefined;
  const fraction = m[2] ?? '';
  if (fraction.length > digits) return undefined;
  const value = Number(`${m[1]}${fraction.padEnd(digits, '0')}`);
  return Number.isSafeInteger(value) ? value : undefined;
}

function split(cell: string | undefined): string[] {
  return (cell ?? '')
    .split('|')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function csvRowToRecord(
  row: Record<string, string>,
  line: number,
  issues: (InputIssue & { line: number })[],
): CatalogRow {
  const record: Record<string, unknown> = {};
  const namedHolders: { index: number; name: string }[] = [];
  if (row['external_id']) record['externalId'] = row['external_id'];
  if (row['kind']) record['kind'] = row['kind'];
  record['titles'] = Object.entries(row)
    .filter(([key, value]) => key.startsWith('title:') && value.trim() !== '')
    .map(([key, value]) => ({ lang: key.slice('title:'.length), title: value }));
  record['identifiers'] = Object.entries(IDENTIFIER_COLUMNS).flatMap(([column, scheme]) =>
    split(row[column]).map((value) => ({ scheme, value })),
  );
  record['rightsHolders'] = split(row['rights_holders']).map((entry, index) => {
    // id:role:share, or name=Name:role:share for a rights holder known only by name.
    const parts = entry.split(':');
    const share = Number(parts.at(-1));
    const role = parts.at(-2) ?? '';
    const who = parts.slice(0, -2).join(':');
    if (who.startsWith('name=')) {
      namedHolders.push({ index, name: who.slice('name='.length).trim() });
      return { rightsHolderId: `name=${who.slice('name='.length).trim()}`, role, share };
    }
    return { rightsHolderId: who, role, share };
  });
  const fingerprints = split(row['fingerprints']).map((entry) => {
    const at = entry.indexOf(':');
    return { algorithm: entry.slice(0, at), value: entry.slice(at + 1) };
  });
  if (row['sha256'])
    fingerprints.push({
      algorithm: 'sha256',
      value: row['sha256'].trim().toLowerCase(),
      fileSha256: row['sha256'].trim().toLowerCase(),
    } as never);
  record['fingerprints'] = fingerprints;
  const policy: Record<string, unknown> = {};
  for (const use of USES) {
    const stance = row[use]?.trim();
    if (!stance) continue;
    if (stance === 'license') {
      const currency = row['currency']?.trim() ?? '';
      const amountMinor = toMinorUnits(row['price'] ?? '', currency);
      if (amountMinor === undefined) {
        issues.push({
          line,
          path: 'price',
          message: `price ${JSON.stringify(row['price'] ?? '')} is not an amount in ${currency || 'the currency column'}`,
        });
      }
      const attribution = (row['attribution'] ?? '').trim().toLowerCase();
      policy[use] = {
        kind: 'license',
        terms: {
          price: { amountMinor: amountMinor ?? -1, currency },
          unit: row['unit']?.trim() || 'per-work',
          attribution: attribution === 'yes' || attribution === 'true' || attribution === 'required',
        },
      };
    } else {
      policy[use] = { kind: stance };
    }
  }
  record['policy'] = policy;
  const file = row['file']?.trim();
  return { line, record, namedHolders, ...(file ? { file } : {}) };
}

/** Reads a catalog file's text in either format. */
export function parseCatalog(text: string, format: CatalogFormat): CatalogParse {
  const issues: (InputIssue & { line: number })[] = [];
  const rows: CatalogRow[] = [];
  if (format === 'jsonl') {
    const lines = text.split('\n');
    for (const [i, raw] of lines.entries()) {
      const line = i + 1;
      const trimmed = raw.trim();
      if (trimmed === '') continue;
      if (rows.length >= CATALOG_LIMITS.maxRows) {
        issues.push({ line, path: '(file)', message: `more than ${CATALOG_LIMITS.maxRows} rows` });
        break;
      }
      let value: unknown;
      try {
        value = JSON.parse(trimmed);
      } catch (error) {
        issues.push({ line, path: '(line)', message: `not JSON: ${(error as Error).message}` });
        continue;
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        issues.push({ line, path: '(line)', message: 'expected a JSON object' });
        continue;
      }
      const { file, ...record } = value as Record<string, unknown>;
      if (file !== undefined && typeof file !== 'string') {
        issues.push({ line, path: 'file', message: 'expected a path' });
        continue;
      }
      const holders = Array.isArray(record['rightsHolders']) ? (record['rightsHolders'] as unknown[]) : [];
      const namedHolders = holders.flatMap((h, index) => {
        const name = (h as { name?: unknown } | null)?.name;
        if (typeof name !== 'string' || (h as { rightsHolderId?: unknown }).rightsHolderId !== undefined) return [];
        const { name: _name, ...rest } = h as Record<string, unknown>;
        holders[index] = { ...rest, rightsHolderId: `name=${name.trim()}` };
        return [{ index, name: name.trim() }];
      });
      rows.push({ line, record, namedHolders, ...(typeof file === 'string' ? { file } : {}) });
    }
    return { rows, issues };
  }
  let records: { record: Record<string, string>; info: { lines: number; empty_lines: number } }[];
  try {
    records = parseCsv(text, {
      columns: true,
      bom: true,
      skip_empty_lines: true,
      trim: false,
      info: true,
      relax_column_count: false,
    }) as never;
  } catch (error) {
    const lines = (error as { lines?: number }).lines ?? 0;
    return {
      rows: [],
      issues: [{ line: lines, path: '(file)', message: `not valid CSV: ${(error as Error).message}` }],
    };
  }
  if (records.length > CATALOG_LIMITS.maxRows) {
    return { rows: [], issues: [{ line: 0, path: '(file)', message: `more than ${CATALOG_LIMITS.maxRows} rows` }] };
  }
  // info.lines is the line a record ends on; blank lines (skipped) between records are counted in empty_lines.
  let previousEnd = 1;
  let previousEmpty = 0;
  for (const { record, info } of records) {
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    rows.push(csvRowToRecord(record, line, issues));
  }
  return { rows, issues };
}
