/** RFC 3339 `date-time` (§5.6): full date, `T` or space, time with optional fraction, `Z` or a numeric offset. */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 date-time to milliseconds since the epoch, or `undefined` when it is not one (wrong shape,
 * impossible date such as 2026-02-30, hour 24…).
 *
 * @example
 * ```ts
 * parseRfc3339('2026-11-25T09:00:00+09:00') // 1795564800000
 * parseRfc3339('yesterday')                 // undefined
 * ```
 */
export function parseRfc3339(text: string): number | undefined {
  // Evaluations parse the same few times over and over (the evaluation time, licence windows): remember the last.
  if (text === lastText) return lastValue;
  const value = parseUncached(text);
  lastText = text;
  lastValue = value;
  return value;
}

let lastText: string | undefined;
let lastValue: number | undefined;

function parseUncached(text: string): number | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  const offset = m[8] as string;
  if (offset.length === 6 && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4, 6)) > 59)) return undefined;
  const ms = Date.parse(text.replace(' ', 'T').replace(/z$/, 'Z').replace(/t/, 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

/** True when `text` is an RFC 3339 date-time. */
export function isRfc3339(text: unknown): text is string {
  return typeof text === 'string' && parseRfc3339(text) !== undefined;
}
