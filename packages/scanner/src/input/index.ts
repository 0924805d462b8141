/** The scanner's input readers: detecting, opening and decoding a dataset, and writing its cleared part. */
export { detectInput, isTabSeparated } from './detect-input.js';
export type { DetectedInput } from './detect-input.js';
export { openInput } from './open-input.js';
export type { BatchOptions, InputSource, OpenInputOptions } from './open-input.js';
export type { InputBatch } from './batch-collector.js';
export { decodeRecord, SAMPLE_MEDIA_EXTENSIONS } from './decode-record.js';
export { mapFields, fieldValue, mediaValue, TEXT_FIELDS, URL_FIELDS, ID_FIELDS, MEDIA_FIELDS } from './fields.js';
export type { FieldDefaults } from './fields.js';
export { writeCleared, clearedName } from './write-cleared.js';
export type { ClearedOutput } from './write-cleared.js';
export { CsvParser, formatCsvRecord } from './csv-parser.js';
export type { CsvRecordEvent, CsvRecordHandler } from './csv-parser.js';
export { LineSplitter } from './line-splitter.js';
export type { LineHandler } from './line-splitter.js';
export { splitMemberName, isTarHeaderBlock } from './tar-samples.js';
export { DEFAULT_BATCH_BYTES, MAX_FILE_BYTES, MAX_LINE_BYTES } from './limits.js';
