/**
 * Mapping a record's fields to what a scan looks at (text, URL, media, id). A field named explicitly (`--text-field
 * meta.body`) is read by its exact name first, then as a dotted path; unset fields are auto-detected from the
 * candidate names below, first match wins. Only own properties are read (never `__proto__` or inherited ones).
 */
import type { DecodedRecord, FieldMapping, ScanItem } from '../types.js';

/** Field names tried, in order, for the text when `textField` is not set. */
export const TEXT_FIELDS = ['text', 'content', 'body', 'document', 'raw_content', 'markdown', 'caption'] as const;
/** Field names tried, in order, for the URL when `urlField` is not set. */
export const URL_FIELDS = ['url', 'URL', 'source_url', 'link', 'href', 'page_url'] as const;
/** Field names tried, in order, for the id when `idField` is not set. */
export const ID_FIELDS = ['id', '_id', 'doc_id', 'uuid', 'key', '__key__'] as const;
/** Field names tried, in order, for media (image, sound or video bytes) when `imageField` is not set. */
export const MEDIA_FIELDS = ['image', 'img', 'jpg', 'jpeg', 'png', 'webp', 'image_bytes', 'audio', 'video'] as const;

const LOOKED_FOR = `text: ${TEXT_FIELDS.join(', ')}; url: ${URL_FIELDS.join(', ')}; media: ${MEDIA_FIELDS.join(', ')}`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The value at `path` in `obj`: the own property of that exact name, else the dotted path; undefined if absent. */
export function fieldValue(obj: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(obj, path)) return obj[path];
  if (!path.includes('.')) return undefined;
  let at: unknown = obj;
  for (const part of path.split('.')) {
    if (!isRecord(at) || !Object.hasOwn(at, part)) return undefined;
    at = at[part];
  }
  return at;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;
const DATA_URL = /^data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,/i;

const MIME_EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/tiff': 'tiff',
  'audio/mpeg': 'mp3',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/flac': 'flac',
  'audio/ogg': 'ogg',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
};

/** Decodes base64 (standard or URL-safe, whitespace allowed); undefined when it is not base64. */
export function decodeBase64(text: string, minLength = 0): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < minLength || compact.length % 4 === 1) return undefined;
  if (!BASE64.test(compact) && !BASE64URL.test(compact)) return undefined;
  const bytes = Buffer.from(compact, compact.includes('-') || compact.includes('_') ? 'base64url' : 'base64');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads media from a field value: bytes, a Hugging Face Image/Audio feature (`{ bytes, path? }`), a `data:` URL or
 * a base64 string. `strict` (an explicitly named field) accepts any base64; auto-detection wants at least 16
 * characters, so a short word is not taken for an image.
 */
export function mediaValue(
  value: unknown,
  strict: boolean,
): { bytes: Uint8Array; name?: string; mime?: string } | undefined {
  if (value instanceof Uint8Array) return { bytes: value };
  if (value instanceof ArrayBuffer) return { bytes: new Uint8Array(value) };
  if (isRecord(value)) {
    const bytes = Object.hasOwn(value, 'bytes') ? mediaValue(value['bytes'], true) : undefined;
    if (bytes === undefined) return undefined;
    const path = Object.hasOwn(value, 'path') ? value['path'] : undefined;
    return typeof path === 'string' && path !== '' ? { bytes: bytes.bytes, name: path } : bytes;
  }
  if (typeof value !== 'string') return undefined;
  const dataUrl = DATA_URL.exec(value);
  if (dataUrl !== null) {
    const body = value.slice(dataUrl[0].length);
    const mime = (dataUrl[1] ?? '').toLowerCase();
    let bytes: Uint8Array | undefined;
    if (dataUrl[3] !== undefined) bytes = decodeBase64(body);
    else {
      try {
        bytes = new TextEncoder().encode(decodeURIComponent(body));
      } catch {
        bytes = undefined;
      }
    }
    if (bytes === undefined) return undefined;
    return mime === '' ? { bytes } : { bytes, mime };
  }
  const bytes = decodeBase64(value, strict ? 0 : 16);
  return bytes === undefined ? undefined : { bytes };
}

function idValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'bigint') return value.toString();
  // MongoDB extended JSON: { "$oid": "…" }.
  if (isRecord(value) && Object.hasOwn(value, '$oid') && typeof value['$oid'] === 'string') return value['$oid'];
  return undefined;
}

const present = (v: unknown): boolean => v !== undefined && v !== null;

/** A value read from a record: absent (not there), found, or there but unusable (explicit fields only). */
type Pick<T> =
  | { readonly ok: true; readonly value: T | undefined; readonly field?: string }
  | { readonly ok: false; readonly reason: string };

function pick<T>(
  obj: Record<string, unknown>,
  explicit: string | undefined,
  candidates: readonly string[],
  read: (value: unknown, strict: boolean) => T | undefined,
  what: string,
): Pick<T> {
  if (explicit !== undefined) {
    const raw = fieldValue(obj, explicit);
    if (!present(raw)) return { ok: false, reason: `the ${what} field "${explicit}" is missing` };
    const value = read(raw, true);
    if (value === undefined) return { ok: false, reason: `the ${what} field "${explicit}" is not ${what}` };
    return { ok: true, value, field: explicit };
  }
  for (const name of candidates) {
    if (!Object.hasOwn(obj, name)) continue;
    const value = read(obj[name], false);
    if (value !== undefined) return { ok: true, value, field: name };
  }
  return { ok: true, value: undefined };
}

const readText = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const readUrl = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Names a media item: its path when known, else `<field>.<extension>` from the MIME type or an extension-named field. */
function mediaName(field: string, media: { name?: string; mime?: string }): string | undefined {
  if (media.name !== undefined) return media.name;
  const ext = media.mime === undefined ? undefined : MIME_EXTENSIONS[media.mime];
  if (ext !== undefined) return `${field}.${ext}`;
  if (['jpg', 'jpeg', 'png', 'webp'].includes(field)) return `${field}.${field}`;
  return undefined;
}

/** What {@link mapFields} may take from elsewhere than the object (a WebDataset sample's members). */
export interface FieldDefaults {
  readonly id?: string;
  readonly text?: string;
  readonly media?: { readonly bytes: Uint8Array; readonly name?: string };
  /** True to read explicit fields leniently (absent is not an error): a sample's JSON member is optional. */
  readonly lenient?: boolean;
}

/**
 * Maps an object's fields to a scan item: explicit fields from `mapping`, the rest auto-detected. A record with
 * none of text, URL or media is not readable; the reason names the fields looked for.
 *
 * @example
 * ```ts
 * mapFields({ id: 7, text: 'hello', meta: { url: 'https://example.org/' } }, { urlField: 'meta.url' })
 * // { ok: true, item: { id: '7', text: 'hello', url: 'https://example.org/' } }
 * ```
 */
export function mapFields(
  obj: Record<string, unknown>,
  mapping: FieldMapping,
  defaults: FieldDefaults = {},
): DecodedRecord {
  const idPick = pick(obj, mapping.idField, ID_FIELDS, idValue, 'id');
  const id = idPick.ok ? (idPick.value ?? defaults.id) : defaults.id;
  const fail = (reason: string): DecodedRecord =>
    id === undefined ? { ok: false, reason } : { ok: false, reason, id };
  if (!idPick.ok && defaults.lenient !== true) return fail(idPick.reason);

  // The first non-empty text candidate wins; an empty string is kept only when no candidate has more.
  let text: string | undefined;
  if (mapping.textField !== undefined) {
    const t = pick(obj, mapping.textField, [], readText, 'text');
    if (!t.ok && defaults.lenient !== true) return fail(t.reason);
    text = t.ok ? t.value : undefined;
  } else {
    for (const name of TEXT_FIELDS) {
      if (!Object.hasOwn(obj, name) || typeof obj[name] !== 'string') continue;
      const value = obj[name];
      text ??= value;
      if (value !== '') {
        text = value;
        break;
      }
    }
  }
  text ??= defaults.text;

  const urlPick = pick(obj, mapping.urlField, URL_FIELDS, readUrl, 'url');
  if (!urlPick.ok && defaults.lenient !== true) return fail(urlPick.reason);
  const url = urlPick.ok ? urlPick.value : undefined;

  let media: ScanItem['media'] = defaults.media;
  const mediaPick = pick(obj, mapping.imageField, MEDIA_FIELDS, mediaValue, 'media');
  if (!mediaPick.ok && defaults.lenient !== true) return fail(mediaPick.reason);
  if (mediaPick.ok && mediaPick.value !== undefined && media === undefined) {
    const name = mediaName(mediaPick.field ?? 'media', mediaPick.value);
    media = name === undefined ? { bytes: mediaPick.value.bytes } : { bytes: mediaPick.value.bytes, name };
  }

  if (text === undefined && url === undefined && media === undefined) {
    return fail(`no text, url or media field (looked for ${LOOKED_FOR})`);
  }
  const item: {
    id?: string;
    text?: string;
    url?: string;
    media?: NonNullable<ScanItem['media']>;
  } = {};
  if (id !== undefined) item.id = id;
  if (text !== undefined) item.text = text;
  if (url !== undefined) item.url = url;
  if (media !== undefined) item.media = media;
  return { ok: true, item };
}
