/**
 * HTML built by a tagged template that escapes every interpolated value unless it is already `SafeHtml`, so that no
 * string from data (a work title, a holder's name, a file path) can become markup: escaping is the default, and only
 * markup this module's callers wrote themselves is trusted.
 */

/** Markup that is safe to insert as is: made only by `html` or `rawHtml`. */
export class SafeHtml {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  toString(): string {
    return this.value;
  }
}

/** What `html` accepts between `${…}`: strings and numbers are escaped, absent values render nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: { readonly [c: string]: string } = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Escapes text for an HTML text node or a double- or single-quoted attribute value.
 *
 * @example
 * ```ts
 * escapeHtml('<script>"x"</script>') // '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(String(value));
}

/**
 * A template tag for HTML: every interpolation is escaped unless it is `SafeHtml`; arrays are joined.
 *
 * @example
 * ```ts
 * html`<td title="${title}">${title}</td>`.value // with title = '"><script>', both come out inert
 * ```
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusts markup the caller wrote (CSS, a constant): never pass it anything that came from data. */
export function rawHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
