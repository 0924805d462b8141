/**
 * `@heoga/scanner`: clears a training dataset against a signed registry snapshot, locally, on every core, resumably
 * (issue 5). The registry writes the snapshot (`writeSnapshot`); a developer opens it (`openSnapshot`, verified) and
 * scans (`runScan`). This file lists every export by name.
 */

export { SCAN_ERROR_CODES, ScanError } from './errors.js';
export type { ScanErrorCode } from './errors.js';

export { INPUT_FORMATS, MATCH_METHODS } from './types.js';
export type {
  InputFormat,
  Compression,
  FieldMapping,
  RawRecord,
  RecordBatch,
  ScanItem,
  DecodedRecord,
  MatchMethod,
  WorkMatch,
  VerdictLine,
  WorkInfo,
} from './types.js';

export { SNAPSHOT_FORMAT, SNAPSHOT_MAGIC, SECTION_NAMES, CONTAINMENT_SAMPLE } from './snapshot/snapshot-format.js';
export type { SnapshotManifest, SectionEntry, SectionName } from './snapshot/snapshot-format.js';
export { writeSnapshot } from './snapshot/write-snapshot.js';
export type { SnapshotWork, SnapshotWriteOptions, WrittenSnapshot } from './snapshot/write-snapshot.js';
export { openSnapshot } from './snapshot/open-snapshot.js';
export type { LoadedSnapshot, OpenSnapshotOptions } from './snapshot/open-snapshot.js';
export { SnapshotIndex } from './snapshot/snapshot-index.js';
export type { SnapshotWorkEntry } from './snapshot/snapshot-index.js';

export { Matcher } from './match/matcher.js';
export type { IndexedMatch, MatchThresholds } from './match/matcher.js';

export { ScanCore } from './scan/scan-core.js';
export type { BatchResult } from './scan/scan-core.js';
export { sameScan } from './scan/shard.js';
export type { ScanShard } from './scan/shard.js';
export { WorkerPool } from './scan/worker-pool.js';
export { runScan } from './scan/run-scan.js';
export type { ScanOptions, ScanProgress, ScanResult } from './scan/run-scan.js';

export { detectInput, openInput, decodeRecord, writeCleared } from './input/index.js';
export type { InputSource } from './input/index.js';

export { ScanSummariser, renderReportHtml } from './report/index.js';
export type { ScanReport, ScanQuote, ReportContext } from './report/index.js';

export { SCANNER_VERSION } from './version.js';
