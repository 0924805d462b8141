/**
 * Decoding a raw record into a scan item, in a worker thread. Pure apart from TextDecoder and `Buffer` (base64);
 * never throws, whatever it is given: anything unreadable becomes `{ ok: false, reason }`.
 */
import { sniffKind, SNIFF_BYTES } from '@heoga/core';
import type { DecodedRecord, FieldMapping, RawRecord } from '../types.js';
import { mapFields } from './fields.js';
import { errorMessage } from './limits.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Media member extensions of a WebDataset sample, in the order the first one present is taken. */
export const SAMPLE_MEDIA_EXTENSIONS = [
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'bmp',
  'tif',
  'tiff',
  'mp3',
  'wav',
  'flac',
  'ogg',
  'm4a',
  'mp4',
  'webm',
  'mkv',
  'mov',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const describe = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`;

function decodeText(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function decodeJsonLine(bytes: unknown, mapping: FieldMapping): DecodedRecord {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'a JSON record without bytes' };
  const text = decodeText(bytes);
  if (text === undefined) return { ok: false, reason: 'not valid UTF-8' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${errorMessage(e)})` };
  }
  if (typeof value === 'string') return { ok: true, item: { text: value } };
  if (isObject(value)) return mapFields(value, mapping);
  return { ok: false, reason: `the JSON line is ${describe(value)}, not an object or a string` };
}

function decodeCsv(fields: unknown, mapping: FieldMapping, columns: readonly string[] | undefined): DecodedRecord {
  if (!Array.isArray(fields)) return { ok: false, reason: 'a CSV record without fields' };
  if (columns === undefined) return { ok: false, reason: 'a CSV record, but no header columns were given' };
  // A null prototype, so a column named __proto__ is a column like any other.
  const obj = Object.create(null) as Record<string, unknown>;
  const n = Math.min(fields.length, columns.length);
  for (let i = 0; i < n; i++) obj[String(columns[i])] = fields[i];
  return mapFields(obj, mapping);
}

function decodeSample(key: unknown, members: unknown, mapping: FieldMapping): DecodedRecord {
  const id = typeof key === 'string' ? key : undefined;
  const fail = (reason: string): DecodedRecord =>
    id === undefined ? { ok: false, reason } : { ok: false, reason, id };
  if (!isObject(members)) return fail('a sample without members');
  const member = (ext: string): Uint8Array | undefined => {
    if (!Object.hasOwn(members, ext)) return undefined;
    const v = members[ext];
    return v instanceof Uint8Array ? v : undefined;
  };
  let text: string | undefined;
  const txt = member('txt');
  if (txt !== undefined) {
    text = decodeText(txt);
    if (text === undefined) return fail('the txt member is not valid UTF-8');
  }
  const mediaExt =
    mapping.imageField !== undefined && member(mapping.imageField.toLowerCase()) !== undefined
      ? mapping.imageField.toLowerCase()
      : SAMPLE_MEDIA_EXTENSIONS.find((ext) => member(ext) !== undefined);
  const mediaBytes = mediaExt === undefined ? undefined : member(mediaExt);
  const media = mediaBytes === undefined ? undefined : { bytes: mediaBytes, name: `${id ?? 'sample'}.${mediaExt}` };
  let json: Record<string, unknown> = {};
  const jsonBytes = member('json');
  if (jsonBytes !== undefined) {
    const jsonText = decodeText(jsonBytes);
    if (jsonText === undefined) return fail('the json member is not valid UTF-8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(jsonText);
    } catch (e) {
      return fail(`the json member is not valid JSON (${errorMessage(e)})`);
    }
    if (!isObject(parsed)) return fail(`the json member is ${describe(parsed)}, not an object`);
    json = parsed;
  }
  const { imageField: _imageField, ...jsonMapping } = mapping;
  const mapped = mapFields(json, jsonMapping, {
    lenient: true,
    ...(id === undefined ? {} : { id }),
    ...(media === undefined ? {} : { media }),
  });
  const item: { id?: string; text?: string; url?: string; media?: { bytes: Uint8Array; name?: string } } = mapped.ok
    ? { ...mapped.item }
    : id === undefined
      ? {}
      : { id };
  // The txt member is the sample's text, unless a text field named explicitly is in the json member.
  const explicitText = mapping.textField !== undefined && item.text !== undefined;
  if (text !== undefined && !explicitText) item.text = text;
  if (item.text === undefined && item.url === undefined && item.media === undefined) {
    return mapped.ok ? fail('no text, url or media in the sample') : fail(mapped.reason);
  }
  return { ok: true, item };
}

function decodeFile(path: unknown, bytes: unknown): DecodedRecord {
  if (typeof path !== 'string') return { ok: false, reason: 'a file record without a path' };
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'a file record without bytes', id: path };
  if (sniffKind(bytes.subarray(0, SNIFF_BYTES)) === 'text') {
    const text = decodeText(bytes);
    // Text by its first bytes but not UTF-8 as a whole (UTF-16, a binary tail): scanned as bytes.
    if (text !== undefined) return { ok: true, item: { id: path, text } };
  }
  return { ok: true, item: { id: path, media: { bytes, name: path } } };
}

function decode(raw: RawRecord, mapping: FieldMapping, columns: readonly string[] | undefined): DecodedRecord {
  switch (raw.t) {
    case 'json':
      return decodeJsonLine(raw.bytes, mapping);
    case 'csv':
      return decodeCsv(raw.fields, mapping, columns);
    case 'row':
      return isObject(raw.value) ? mapFields(raw.value, mapping) : { ok: false, reason: 'a row that is not an object' };
    case 'sample':
      return decodeSample(raw.key, raw.members, mapping);
    case 'file':
      return decodeFile(raw.path, raw.bytes);
    case 'url': {
      const url = typeof raw.line === 'string' ? raw.line.trim() : '';
      return url === '' ? { ok: false, reason: 'an empty URL line' } : { ok: true, item: { url } };
    }
    case 'bad': {
      const reason = typeof raw.reason === 'string' ? raw.reason : 'unreadable record';
      return typeof raw.id === 'string' ? { ok: false, reason, id: raw.id } : { ok: false, reason };
    }
    default: {
      const unknown: never = raw;
      return { ok: false, reason: `unknown record type ${String((unknown as { t?: unknown } | null)?.t)}` };
    }
  }
}

/**
 * Decodes one raw record with a field mapping (`columns`: the CSV header, for `csv` records). Never throws.
 *
 * JSON lines must be UTF-8 and JSON: a JSON string is the text, an object is mapped (see `mapFields`). CSV fields
 * are zipped with the columns, then mapped. WebDataset samples: the `txt` member is the text, the first media member
 * (see {@link SAMPLE_MEDIA_EXTENSIONS}) the media, named `key.ext`, and the `json` member gives id, URL and text (the
 * id defaults to the key). Folder files: the id is the path; text when `sniffKind` says text and it is UTF-8, else
 * media named by the path.
 *
 * @example
 * ```ts
 * decodeRecord({ t: 'json', bytes: new TextEncoder().encode('{"id":1,"text":"hi"}') }, {})
 * // { ok: true, item: { id: '1', text: 'hi' } }
 * ```
 */
export function decodeRecord(raw: RawRecord, mapping: FieldMapping, columns?: readonly string[]): DecodedRecord {
  try {
    if (typeof raw !== 'object' || raw === null) return { ok: false, reason: 'not a record' };
    const safeMapping: FieldMapping = typeof mapping === 'object' && mapping !== null ? mapping : {};
    return decode(raw, safeMapping, Array.isArray(columns) ? columns : undefined);
  } catch (e) {
    return { ok: false, reason: `cannot decode the record (${errorMessage(e)})` };
  }
}
