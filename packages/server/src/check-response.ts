import type { CheckResponse, CheckResult } from '@heoga/registry';

/**
 * The JSON of the parts of a check answer that the registry shares between calls: the matches of an item and the
 * evidence, quote, accrual and flags of its verdict come from the registry's answer cache, the same objects on
 * every call until the cache is dropped (the registry treats them as immutable values), so each is serialised once.
 * Keyed by identity: entries go when the registry lets go of the objects.
 */
const fragments = new WeakMap<object, string>();

function fragment(value: object): string {
  let json = fragments.get(value);
  if (json === undefined) {
    json = JSON.stringify(value);
    fragments.set(value, json);
  }
  return json;
}

type VerdictResult = Extract<CheckResult, { verdict: unknown }>;
type Verdict = VerdictResult['verdict'];

/** The members a verdict has, in the order `evaluate` writes them: anything else is serialised the plain way. */
const VERDICT_KEYS: ReadonlySet<string> = new Set([
  'outcome',
  'use',
  'regime',
  'standing',
  'reason',
  'evidence',
  'quote',
  'accrual',
  'flags',
  'evaluatedAt',
]);

function knownShape(value: object, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}

function verdictJson(v: Verdict): string {
  if (!knownShape(v, VERDICT_KEYS)) return JSON.stringify(v);
  return (
    `{"outcome":${JSON.stringify(v.outcome)},"use":${JSON.stringify(v.use)},"regime":${JSON.stringify(v.regime)}` +
    `,"standing":${JSON.stringify(v.standing)},"reason":${JSON.stringify(v.reason)},"evidence":${fragment(v.evidence)}` +
    (v.quote === undefined ? '' : `,"quote":${fragment(v.quote)}`) +
    (v.accrual === undefined ? '' : `,"accrual":${fragment(v.accrual)}`) +
    `,"flags":${fragment(v.flags)},"evaluatedAt":${JSON.stringify(v.evaluatedAt)}}`
  );
}

const RESULT_KEYS: ReadonlySet<string> = new Set(['id', 'matches', 'verdict']);
const RESPONSE_KEYS: ReadonlySet<string> = new Set(['regime', 'use', 'at', 'results']);

function resultJson(result: CheckResult): string {
  if (!('verdict' in result) || !knownShape(result, RESULT_KEYS)) return JSON.stringify(result);
  return (
    (result.id === undefined ? '{' : `{"id":${JSON.stringify(result.id)},`) +
    `"matches":${fragment(result.matches)},"verdict":${verdictJson(result.verdict)}}`
  );
}

/**
 * Serialises a check answer exactly as `JSON.stringify` does (same members, same order, same text), but reusing
 * the JSON of the parts the registry shares between calls: serialising a whole answer afresh costs more than the
 * check itself once the registry's cache holds the items. Members it does not know make it fall back to
 * `JSON.stringify` for that object, so nothing is ever dropped.
 *
 * @example
 * ```ts
 * const answer = await registry.check.check(actor, request);
 * reply.type('application/json; charset=utf-8').serializer(serializeCheckResponse).send(answer);
 * ```
 */
export function serializeCheckResponse(response: CheckResponse): string {
  if (!knownShape(response, RESPONSE_KEYS)) return JSON.stringify(response);
  let results = '';
  for (let i = 0; i < response.results.length; i += 1)
    results += (i === 0 ? '' : ',') + resultJson(response.results[i]!);
  return `{"regime":${JSON.stringify(response.regime)},"use":${JSON.stringify(response.use)},"at":${JSON.stringify(response.at)},"results":[${results}]}`;
}
