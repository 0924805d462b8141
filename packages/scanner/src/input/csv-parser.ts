/**
 * A streaming CSV parser (RFC 4180, read leniently) and its writer. The parser works on bytes, so a chunk may end
 * anywhere (inside a quoted field, between `\r` and `\n`, inside a UTF-8 character); each field must be UTF-8.
 *
 * Reading rules: fields are separated by the delimiter (`,`, or a tab for `.tsv`); a record ends at `\n` or `\r\n`
 * (a lone `\r` is data); a field that starts with `"` is quoted and may hold delimiters, newlines and `""` for a
 * quote; bytes after a closing quote are kept as data (as Python's csv module does); a quote inside an unquoted
 * field is data; a UTF-8 byte order mark at the start of the input is dropped; an empty line is not a record.
 */
import { isUtf8 } from 'node:buffer';
import { MAX_LINE_BYTES, formatBytes } from './limits.js';

/** One record as the parser reports it: its fields, `undefined` when it was only counted, or why it is bad. */
export type CsvRecordEvent =
  { readonly ok: true; readonly fields: string[] | undefined } | { readonly ok: false; readonly reason: string };

/** Receives a record; `next` is the input offset just after its terminator. */
export type CsvRecordHandler = (record: CsvRecordEvent, next: number) => void;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuotedQuote,
  CarriageReturn,
}

/**
 * Parses CSV bytes pushed chunk by chunk, calling `onRecord` for each record (the header included: the caller
 * treats the first one as the header).
 *
 * @example
 * ```ts
 * const rows: string[][] = [];
 * const p = new CsvParser(',', (r) => { if (r.ok && r.fields) rows.push(r.fields); });
 * p.push(Buffer.from('a,"b\n')); p.push(Buffer.from('c"\r\n')); p.end(); // rows: [['a', 'b\nc']]
 * ```
 */
export class CsvParser {
  private readonly delimiter: number;
  private state = State.FieldStart;
  private rec = Buffer.allocUnsafe(4096);
  private recLen = 0;
  private ends: number[] = [];
  /** Bytes of the current record seen so far, terminator excluded (0: nothing yet, so a blank line). */
  private raw = 0;
  private collecting = true;
  private overflow = false;
  private offset = 0;
  private head: Buffer | undefined = Buffer.alloc(0);

  /**
   * @param delimiter `,` or `\t`.
   * @param onRecord called for every record.
   * @param shouldCollect asked at the start of each record: false to only count it (no bytes kept, no decoding).
   */
  constructor(
    delimiter: ',' | '\t',
    private readonly onRecord: CsvRecordHandler,
    private readonly shouldCollect: () => boolean = () => true,
    private readonly maxRecordBytes: number = MAX_LINE_BYTES,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  /** True while a record is partly read (the input so far ends inside a record). */
  get hasPartial(): boolean {
    return this.raw > 0 || this.state === State.Quoted || (this.head !== undefined && this.head.length > 0);
  }

  /** Parses one chunk. */
  push(input: Buffer): void {
    let chunk = input;
    if (this.head !== undefined) {
      // The byte order mark may itself be cut across chunks: hold the first bytes until there are three.
      const joined = this.head.length === 0 ? chunk : Buffer.concat([this.head, chunk]);
      if (joined.length < 3 && joined.length > 0 && isBomPrefix(joined)) {
        this.head = Buffer.from(joined);
        return;
      }
      this.head = undefined;
      chunk = joined;
      if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        this.offset += 3;
        chunk = chunk.subarray(3);
      }
    }
    this.parse(chunk);
  }

  /** Ends the input: the last record is delivered even without a terminator; an open quote makes it bad. */
  end(): void {
    if (this.head !== undefined && this.head.length > 0) {
      const head = this.head;
      this.head = undefined;
      this.parse(head);
    }
    if (this.state === State.Quoted) {
      this.onRecord({ ok: false, reason: 'unterminated quoted field at the end of the input' }, this.offset);
      this.resetRecord();
    } else if (this.raw > 0 || this.state === State.CarriageReturn) {
      this.endRecord(this.offset);
    }
  }

  /** Ends a broken input: the partial last record, if any, is dropped; true when there was one. */
  abandon(): boolean {
    const had = this.hasPartial;
    this.resetRecord();
    return had;
  }

  private parse(chunk: Buffer): void {
    const base = this.offset;
    this.offset += chunk.length;
    const n = chunk.length;
    const delimiter = this.delimiter;
    let i = 0;
    while (i < n) {
      const b = chunk[i]!;
      switch (this.state) {
        case State.FieldStart:
          if (this.raw === 0 && this.ends.length === 0) this.startRecord();
          if (b === QUOTE) {
            this.state = State.Quoted;
            this.count(1);
            i++;
          } else if (b === delimiter) {
            this.count(1);
            this.endField();
            i++;
          } else if (b === LF) {
            this.endRecord(base + i + 1);
            i++;
          } else if (b === CR) {
            this.state = State.CarriageReturn;
            i++;
          } else {
            this.state = State.Unquoted;
          }
          break;
        case State.Unquoted: {
          let j = i;
          while (j < n) {
            const c = chunk[j]!;
            if (c === delimiter || c === LF || c === CR) break;
            j++;
          }
          this.append(chunk, i, j);
          if (j === n) {
            i = n;
            break;
          }
          const c = chunk[j]!;
          if (c === delimiter) {
            this.count(1);
            this.endField();
            this.state = State.FieldStart;
          } else if (c === LF) {
            this.endRecord(base + j + 1);
          } else {
            this.state = State.CarriageReturn;
          }
          i = j + 1;
          break;
        }
        case State.Quoted: {
          const q = chunk.indexOf(QUOTE, i);
          const stop = q === -1 ? n : q;
          this.append(chunk, i, stop);
          if (q === -1) {
            i = n;
          } else {
            this.count(1);
            this.state = State.QuotedQuote;
            i = q + 1;
          }
          break;
        }
        case State.QuotedQuote:
          if (b === QUOTE) {
            // RFC 4180 §2.7: a doubled quote inside a quoted field is one quote.
            this.append(chunk, i, i + 1);
            this.state = State.Quoted;
            i++;
          } else if (b === delimiter) {
            this.count(1);
            this.endField();
            this.state = State.FieldStart;
            i++;
          } else if (b === LF) {
            this.endRecord(base + i + 1);
            i++;
          } else if (b === CR) {
            this.state = State.CarriageReturn;
            i++;
          } else {
            this.state = State.Unquoted;
          }
          break;
        case State.CarriageReturn:
          if (b === LF) {
            this.endRecord(base + i + 1);
            i++;
          } else {
            // A lone CR is data.
            this.appendByte(CR);
            this.state = State.Unquoted;
          }
          break;
      }
    }
  }

  private startRecord(): void {
    this.collecting = this.shouldCollect();
  }

  private count(bytes: number): void {
    this.raw += bytes;
    if (this.raw > this.maxRecordBytes && !this.overflow) {
      this.overflow = true;
      this.recLen = 0;
      this.ends = [];
    }
  }

  private append(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    this.count(to - from);
    if (!this.collecting || this.overflow) return;
    this.ensure(to - from);
    if (to - from < 32) {
      // Short runs: a loop beats the native copy's call overhead.
      const rec = this.rec;
      let at = this.recLen;
      for (let i = from; i < to; i++) rec[at++] = chunk[i]!;
      this.recLen = at;
    } else {
      chunk.copy(this.rec, this.recLen, from, to);
      this.recLen += to - from;
    }
  }

  private appendByte(byte: number): void {
    this.count(1);
    if (!this.collecting || this.overflow) return;
    this.ensure(1);
    this.rec[this.recLen++] = byte;
  }

  private ensure(more: number): void {
    if (this.recLen + more <= this.rec.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.rec.length * 2, this.recLen + more));
    this.rec.copy(grown, 0, 0, this.recLen);
    this.rec = grown;
  }

  private endField(): void {
    if (!this.overflow) this.ends.push(this.recLen);
  }

  private endRecord(next: number): void {
    if (this.raw === 0 && this.ends.length === 0) {
      // An empty line is not a record.
      this.resetRecord();
      return;
    }
    this.endField();
    if (this.overflow) {
      this.onRecord({ ok: false, reason: `record larger than ${formatBytes(this.maxRecordBytes)}` }, next);
    } else if (!this.collecting) {
      this.onRecord({ ok: true, fields: undefined }, next);
    } else {
      const rec = this.rec;
      // The record is UTF-8 as a whole and no field starts on a continuation byte: then every field is UTF-8.
      let bad = !isUtf8(rec.subarray(0, this.recLen));
      const fields: string[] = [];
      let start = 0;
      for (const end of this.ends) {
        if (bad) break;
        if (end > start && ((rec[start] ?? 0) & 0xc0) === 0x80) bad = true;
        fields.push(rec.toString('utf8', start, end));
        start = end;
      }
      this.onRecord(bad ? { ok: false, reason: 'a field is not valid UTF-8' } : { ok: true, fields }, next);
    }
    this.resetRecord();
  }

  private resetRecord(): void {
    this.state = State.FieldStart;
    this.recLen = 0;
    this.ends = [];
    this.raw = 0;
    this.overflow = false;
    this.collecting = true;
    if (this.rec.length > 1 << 20) this.rec = Buffer.allocUnsafe(4096);
  }
}

function isBomPrefix(bytes: Buffer): boolean {
  const bom = [0xef, 0xbb, 0xbf];
  for (let i = 0; i < bytes.length && i < 3; i++) if (bytes[i] !== bom[i]) return false;
  return true;
}

/**
 * Writes one CSV record with its `\n` terminator, quoting a field only where the reader needs it (a delimiter,
 * quote, CR or LF inside, a leading byte order mark, or a record that is one empty field, which would read as a
 * blank line). `new CsvParser(d, …)` reads it back as the same fields.
 *
 * @example
 * ```ts
 * formatCsvRecord(['a', 'b,c', 'say "hi"'], ',') // 'a,"b,c","say ""hi"""\n'
 * ```
 */
export function formatCsvRecord(fields: readonly string[], delimiter: ',' | '\t'): string {
  if (fields.length === 1 && fields[0] === '') return '""\n';
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    if (i > 0) out += delimiter;
    const quote =
      field.includes(delimiter) ||
      field.includes('"') ||
      field.includes('\n') ||
      field.includes('\r') ||
      field.startsWith('\uFEFF');
    out += quote ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return `${out}\n`;
}
