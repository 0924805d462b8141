import {
  USES,
  combineReadings,
  combineStatements,
  combineTdmrep,
  evaluateAiTxt,
  evaluateRobotsTxt,
  evaluateRsl,
  evaluateTdmrep,
  findRslLicenseLinks,
  isUse,
  parseAiTxt,
  parseContentSignal,
  parseContentUsage,
  parseLinkHeader,
  parseMetaRobots,
  parseRobotsTxt,
  parseRsl,
  parseTdmrepJson,
  parseXRobotsTag,
  readProtocolWord,
  readTdmrepHeaders,
  readTdmrepMeta,
  readTdmrepValues,
  rslAmountToMoney,
  type LicenceTerms,
  type RslDocument,
  type RslPayment,
  type SignalProtocol,
  type Standing,
  type PreferenceStatement,
  type Statement,
  type TdmrepStep,
  type Use,
  type UseScope,
  type UseSignals,
} from '@heoga/core';
// Not yet exported from @heoga/core's index (the lead adds it); imported by path until then.
import { extractHtmlHead, type HtmlHeadSignals } from '@heoga/core';
import { ReaderError } from './errors.js';
import { Fetcher, parseHttpUrl, type FetcherOptions, type FetchResponse, type SignalFetcher } from './fetcher.js';

/** The reader's answer for one use. */
export type UseAnswerKind = 'allow' | 'deny' | 'license' | 'unknown';

/** Every signal the reader considers, by name (finer than core's protocols: where in the protocol it was read). */
export type SignalName =
  | 'robots-txt'
  | 'robots-txt content-usage'
  | 'robots-txt content-signal'
  | 'robots-txt license'
  | 'tdmrep.json'
  | 'tdm-reservation header'
  | 'tdm-reservation meta'
  | 'content-usage header'
  | 'content-signal header'
  | 'x-robots-tag header'
  | 'robots meta'
  | 'link license header'
  | 'link license html'
  | 'rsl'
  | 'ai.txt';

/** One signal the reader considered: which, where, when, the raw value, and what it says per use. */
export interface SignalEvidence {
  /** Names the statements made from this signal (`s3`); statements use `s3:ai-train`. */
  readonly id: string;
  readonly signal: SignalName;
  readonly protocol: SignalProtocol;
  /** Where it was read: the robots.txt, tdmrep.json, page, licence URL. */
  readonly url: string;
  /** RFC 3339 time the response arrived (or failed). */
  readonly fetchedAt: string;
  readonly status?: number;
  /** The raw value: the header line(s), the file's deciding line, the rule, the meta content. */
  readonly raw: string;
  /** What the signal says per use, as read (before the reader's interpretation). */
  readonly says: { readonly [U in Use]?: UseAnswerKind };
  readonly note?: string;
  /** The fetch failed: its stable code and message. */
  readonly error?: { readonly code: string; readonly message: string };
  /** The answer came from the reader's cache. */
  readonly fromCache?: boolean;
}

/** What one signal did for one use, after the reader's interpretation and core's combination. */
export interface UseEvidence {
  readonly evidenceId: string;
  readonly signal: SignalName;
  readonly url: string;
  readonly fetchedAt: string;
  readonly raw: string;
  /** The stance given to core for this use (after interpretation). */
  readonly stance: UseAnswerKind;
  /** What core's combination made of it (`refuses`, `offers`, `allows`, `silent`). */
  readonly effect: string;
  readonly decisive: boolean;
  /** Why the stance differs from what the signal says, when it does. */
  readonly interpretation?: string;
}

/** The answer for one use with its evidence. */
export interface UseAnswer {
  readonly use: Use;
  readonly answer: UseAnswerKind;
  /** Core's combined standing. */
  readonly standing: Standing;
  /** The licence terms offered, for `license`. */
  readonly terms?: readonly LicenceTerms[];
  readonly evidence: readonly UseEvidence[];
}

/** What the reader found for one URL. */
export interface SignalReport {
  readonly url: string;
  /** The URL that answered, after redirects. */
  readonly finalUrl: string;
  readonly userAgent: string;
  readonly checkedAt: string;
  readonly answers: { readonly [U in Use]?: UseAnswer };
  /** Every signal considered, fetch failures included. */
  readonly signals: readonly SignalEvidence[];
  /** The core statements the answers were combined from: pass them to core's `evaluate` for a verdict. */
  readonly statements: readonly Statement[];
}

/** Options of {@link readSignals} and {@link SignalReader.read}. */
export interface ReadSignalsOptions {
  /** The use(s) to answer; default every use. */
  readonly use?: Use | readonly Use[];
  /** The crawler's product token for robots.txt, X-Robots-Tag, meta and ai.txt groups (default `heoga-reader`). */
  readonly userAgent?: string;
  /** The time of the check (licences are judged at it); default now. */
  readonly now?: () => Date;
  /** RSL user type (`commercial`…), for licences restricted by user. */
  readonly user?: string;
  /** ISO 3166-1 alpha-2, for licences restricted by place. */
  readonly geo?: string;
}

/** Settings of a {@link SignalReader}: the fetcher, or the settings for the default one. */
export interface SignalReaderOptions extends FetcherOptions {
  readonly fetcher?: SignalFetcher;
  readonly defaults?: ReadSignalsOptions;
}

const DEFAULT_AGENT = 'heoga-reader';
/**
 * Parsed origin files remembered (robots.txt, tdmrep.json, ai.txt, RSL: four per origin), enough for 2,000 origins
 * read at once; the bound keeps memory in check when files are large.
 */
const PARSED_MAX = 8192;
const RSL_TYPE = 'application/rsl+xml';

type Said = { [U in Use]?: { stance: 'allow' | 'deny' | 'license'; terms?: LicenceTerms } };

interface Reading {
  readonly evidence: SignalEvidence;
  readonly said: Said;
  /** A refusal that cannot name uses apart (TDMRep, noai, ai.txt): a use-specific signal says what it means. */
  readonly blanket: boolean;
  /** A refusal that no interpretation softens: the crawler may not fetch at all (robots.txt). */
  readonly hard: boolean;
}

/** Spreads a scope's stance over the uses, the way core's combination reads it (restrictions flow down). */
function saidFromSignals(signals: UseSignals): Said {
  const out: Said = {};
  for (const use of USES) {
    const s = signals[use].stance;
    if (s !== 'unknown') out[use] = { stance: s };
  }
  return out;
}

function saidFromScopes(stance: 'allow' | 'deny', scopes: readonly UseScope[]): Said {
  return saidFromSignals(combineReadings([{ key: 'x', stance, uses: scopes }]));
}

function says(said: Said): SignalEvidence['says'] {
  const out: { [U in Use]?: UseAnswerKind } = {};
  for (const use of USES) {
    const s = said[use];
    if (s) out[use] = s.stance;
  }
  return out;
}

const headerValues = (response: FetchResponse | undefined, name: string): readonly string[] =>
  response?.headers[name] ?? [];

function termsOfPayments(payments: readonly RslPayment[]): LicenceTerms | undefined {
  for (const payment of payments) {
    const price = payment.amount ? rslAmountToMoney(payment.amount) : undefined;
    // RSL says what is paid for, not per what unit; heoga reads a priced RSL licence as a price per work.
    if (price) return { price, unit: 'per-work', attribution: payment.type === 'attribution' };
  }
  return undefined;
}

/**
 * Reads every AI-use signal that applies to URLs, through one fetcher (so the cache and politeness span them).
 *
 * @example
 * ```ts
 * const reader = new SignalReader({ userAgent: 'heoga-reader' });
 * const report = await reader.read('https://example.com/gallery/a.jpg', { use: 'ai-train' });
 * report.answers['ai-train']?.answer // 'deny'
 * reader.close();
 * ```
 */
export class SignalReader {
  readonly fetcher: SignalFetcher;
  private readonly owned: Fetcher | undefined;
  private readonly defaults: ReadSignalsOptions;
  /** Parsed origin files by response: robots.txt, tdmrep.json, ai.txt and RSL are parsed once per fetch, not per URL. */
  private readonly parsed = new Map<string, unknown>();

  constructor(options: SignalReaderOptions = {}) {
    if (options.fetcher) {
      this.fetcher = options.fetcher;
    } else {
      this.owned = new Fetcher(options);
      this.fetcher = this.owned;
    }
    this.defaults = options.defaults ?? {};
  }

  private parseOnce<T>(kind: string, response: FetchResponse, parse: (body: string) => T): T {
    const key = `${kind} ${response.finalUrl} ${response.fetchedAt}`;
    if (this.parsed.has(key)) return this.parsed.get(key) as T;
    const value = parse(response.body);
    // A bounded memo, emptied when full: it must hold the files of every origin being read at once (four each), or
    // the second URL of an origin parses them again; deleting the oldest entry one at a time makes V8 step over
    // the deleted ones on every insertion.
    if (this.parsed.size >= PARSED_MAX) this.parsed.clear();
    this.parsed.set(key, value);
    return value;
  }

  /** Closes the default fetcher's idle sockets. */
  close(): void {
    this.owned?.close();
  }

  /**
   * Reads the signals for `url` and answers per use (see {@link readSignals}).
   *
   * @throws {ReaderError} when the URL itself cannot be read: `URL_INVALID`, `SCHEME_UNSUPPORTED`, `DNS_FAILED`,
   * `ADDRESS_BLOCKED` (the SSRF guard, on the URL or a redirect).
   */
  async read(url: string, readOptions: ReadSignalsOptions = {}): Promise<SignalReport> {
    const options = { ...this.defaults, ...readOptions };
    const target = parseHttpUrl(url);
    const agent = (options.userAgent ?? DEFAULT_AGENT).trim() || DEFAULT_AGENT;
    const at = (options.now ?? (() => new Date()))();
    const uses: readonly Use[] =
      options.use === undefined ? USES : typeof options.use === 'string' ? [options.use] : options.use;
    for (const use of uses) {
      if (!isUse(use)) throw new ReaderError('URL_INVALID', `unknown use ${JSON.stringify(use)}`);
    }
    const origin = target.origin;
    const robotsUrl = `${origin}/robots.txt`;
    const tdmrepUrl = `${origin}/.well-known/tdmrep.json`;
    const aiTxtUrl = `${origin}/ai.txt`;

    const get = (u: string, kind: Parameters<SignalFetcher['fetch']>[1]['kind']) =>
      this.fetcher.fetch(u, { kind }).then(
        (response) => ({ ok: true as const, response }),
        (error: unknown) => ({ ok: false as const, error: asReaderError(error, u), at: at.toISOString() }),
      );
    const [robots, tdmrep, aiTxt, resource] = await Promise.all([
      get(robotsUrl, 'robots-txt'),
      get(tdmrepUrl, 'tdmrep'),
      get(aiTxtUrl, 'ai-txt'),
      get(target.href, 'resource'),
    ]);
    // The URL itself could not be asked for: no answer is better than one without its headers.
    if (!resource.ok && FATAL.has(resource.error.code)) throw resource.error;

    const readings: Reading[] = [];
    const signals: SignalEvidence[] = [];
    let counter = 0;
    const add = (
      evidence: Omit<SignalEvidence, 'id' | 'says'>,
      said: Said = {},
      flags: { blanket?: boolean; hard?: boolean } = {},
    ): void => {
      const full: SignalEvidence = { id: `s${++counter}`, ...evidence, says: says(said) };
      signals.push(full);
      if (Object.keys(said).length > 0) {
        readings.push({ evidence: full, said, blanket: flags.blanket ?? false, hard: flags.hard ?? false });
      }
    };
    const failed = (signal: SignalName, protocol: SignalProtocol, u: string, error: ReaderError, note: string) =>
      add(
        {
          signal,
          protocol,
          url: u,
          fetchedAt: at.toISOString(),
          raw: '',
          note,
          error: { code: error.code, message: error.message },
        },
        {},
      );
    const meta = (r: FetchResponse) => ({
      fetchedAt: r.fetchedAt,
      status: r.status,
      ...(r.fromCache ? { fromCache: true } : {}),
    });
    const rslUrls = new Map<string, SignalName>();

    // robots.txt (RFC 9309 §2.3.1): 2xx parse; 4xx unavailable, crawl anything; 5xx or unreachable, crawl nothing.
    if (robots.ok) {
      const r = robots.response;
      if (r.status >= 200 && r.status < 300) {
        const parsed = this.parseOnce('robots-txt', r, parseRobotsTxt);
        const evaluation = evaluateRobotsTxt(parsed, { userAgent: agent, url: target.href });
        const rule = evaluation.matchedRule;
        add(
          {
            signal: 'robots-txt',
            protocol: 'robots-txt',
            url: robotsUrl,
            ...meta(r),
            raw: rule ? `line ${rule.line}: ${rule.text}` : '',
            note: evaluation.allowed
              ? `crawling allowed (${evaluation.reason})${parsed.truncated ? '; file cut at 500 KiB' : ''}`
              : `crawling refused to ${agent}: no use can be made of what may not be fetched`,
          },
          evaluation.allowed ? {} : saidFromScopes('deny', ['all']),
          { hard: true },
        );
        const lines = (answers: typeof evaluation.contentUsage) =>
          [...new Set(USES.flatMap((u) => (answers[u].decidedBy ?? []).map((d) => `line ${d.line}: ${d.text}`)))].join(
            '\n',
          );
        const usage = saidFromSignals(mapAnswers(evaluation.contentUsage));
        if (Object.keys(usage).length > 0) {
          add(
            {
              signal: 'robots-txt content-usage',
              protocol: 'robots-txt',
              url: robotsUrl,
              ...meta(r),
              raw: lines(evaluation.contentUsage),
            },
            usage,
          );
        }
        const signal = saidFromSignals(mapAnswers(evaluation.contentSignal));
        if (Object.keys(signal).length > 0) {
          add(
            {
              signal: 'robots-txt content-signal',
              protocol: 'content-signal',
              url: robotsUrl,
              ...meta(r),
              raw: lines(evaluation.contentSignal),
            },
            signal,
          );
        }
        for (const l of evaluation.licenses) rslUrls.set(l, 'robots-txt license');
      } else if (r.status >= 400 && r.status < 500 && r.status !== 429) {
        add({
          signal: 'robots-txt',
          protocol: 'robots-txt',
          url: robotsUrl,
          ...meta(r),
          raw: `HTTP ${r.status}`,
          note: 'unavailable (4xx): crawling allowed (RFC 9309 §2.3.1.3)',
        });
      } else {
        add(
          {
            signal: 'robots-txt',
            protocol: 'robots-txt',
            url: robotsUrl,
            ...meta(r),
            raw: `HTTP ${r.status}`,
            note: 'unreachable: complete disallow (RFC 9309 §2.3.1.4)',
          },
          saidFromScopes('deny', ['all']),
          { hard: true },
        );
      }
    } else if (robots.error.code === 'TOO_MANY_REDIRECTS') {
      failed(
        'robots-txt',
        'robots-txt',
        robotsUrl,
        robots.error,
        'more than 5 redirects: unavailable, crawling allowed (RFC 9309 §2.3.1.2)',
      );
    } else {
      const e = robots.error;
      add(
        {
          signal: 'robots-txt',
          protocol: 'robots-txt',
          url: robotsUrl,
          fetchedAt: robots.at,
          raw: '',
          note: 'unreachable: complete disallow (RFC 9309 §2.3.1.4)',
          error: { code: e.code, message: e.message },
        },
        saidFromScopes('deny', ['all']),
        { hard: true },
      );
    }

    // TDMRep (§4 order): tdmrep.json, then headers, then HTML meta; absence never resets.
    const steps: TdmrepStep[] = [];
    const tdmEvidence: { technique: string; url: string; fetchedAt: string; status?: number; raw: string }[] = [];
    const path = `${target.pathname}${target.search}`;
    if (tdmrep.ok) {
      const r = tdmrep.response;
      if (r.status >= 200 && r.status < 300) {
        const parsed = this.parseOnce('tdmrep', r, parseTdmrepJson);
        if (parsed.ok) {
          const e = evaluateTdmrep(parsed.value, path);
          const rule = e.ruleIndex !== undefined ? parsed.value.rules[e.ruleIndex] : undefined;
          if (e.reservation !== 'unset') {
            steps.push(
              readTdmrepValues('well-known-file', e.reservation === 'reserved' ? '1' : '0', e.policyUrl ?? null),
            );
            tdmEvidence.push({
              technique: 'well-known-file',
              url: tdmrepUrl,
              fetchedAt: r.fetchedAt,
              status: r.status,
              raw: rule
                ? JSON.stringify({
                    location: rule.location,
                    'tdm-reservation': e.reservation === 'reserved' ? 1 : 0,
                    ...(rule.policyUrl ? { 'tdm-policy': rule.policyUrl } : {}),
                  })
                : '',
            });
          }
        } else {
          add({
            signal: 'tdmrep.json',
            protocol: 'tdmrep',
            url: tdmrepUrl,
            ...meta(r),
            raw: r.body.slice(0, 200),
            note: `not read: ${parsed.issues[0]?.message ?? 'invalid'}`,
          });
        }
      }
    } else {
      failed(
        'tdmrep.json',
        'tdmrep',
        tdmrepUrl,
        tdmrep.error,
        'not read: the origin does not implement TDMRep as far as we can tell',
      );
    }

    const response = resource.ok ? resource.response : undefined;
    const finalUrl = response?.finalUrl ?? target.href;
    if (!resource.ok)
      failed(
        'x-robots-tag header',
        'x-robots-tag',
        target.href,
        resource.error,
        'the resource could not be fetched: its headers and meta tags are unknown',
      );
    if (response) {
      const headerStep = readTdmrepHeaders((name) => {
        const v = headerValues(response, name);
        return v.length > 0 ? v.join(', ') : undefined;
      });
      if (headerStep.reservation !== undefined) {
        steps.push(headerStep);
        tdmEvidence.push({
          technique: 'http-header',
          url: finalUrl,
          ...meta(response),
          raw: `tdm-reservation: ${headerValues(response, 'tdm-reservation').join(', ')}${headerStep.policyUrl ? `; tdm-policy: ${headerStep.policyUrl}` : ''}`,
        });
      }
      const usage = headerValues(response, 'content-usage');
      if (usage.length > 0) {
        const reading = parseContentUsage(usage);
        add(
          {
            signal: 'content-usage header',
            protocol: 'aipref-header',
            url: finalUrl,
            ...meta(response),
            raw: usage.join(', '),
            ...(reading.valid ? {} : { note: 'did not parse: every use unknown' }),
          },
          saidFromSignals(reading.byUse),
        );
      }
      const cs = headerValues(response, 'content-signal');
      if (cs.length > 0) {
        add(
          {
            signal: 'content-signal header',
            protocol: 'content-signal',
            url: finalUrl,
            ...meta(response),
            raw: cs.join(', '),
          },
          saidFromSignals(parseContentSignal(cs).byUse),
        );
      }
      const xrt = headerValues(response, 'x-robots-tag');
      if (xrt.length > 0) {
        const reading = parseXRobotsTag(xrt, agent);
        add(
          {
            signal: 'x-robots-tag header',
            protocol: 'x-robots-tag',
            url: finalUrl,
            ...meta(response),
            raw: xrt.join(', '),
            ...(reading.searchDirectives.length > 0
              ? { note: `search directives: ${reading.searchDirectives.join(', ')}` }
              : {}),
          },
          robotsDirectivesSaid(reading.byUse, reading.searchDirectives),
          { blanket: true },
        );
      }
      const link = headerValues(response, 'link');
      if (link.length > 0) {
        for (const l of findRslLicenseLinks(parseLinkHeader(link).links, finalUrl))
          if (!rslUrls.has(l)) rslUrls.set(l, 'link license header');
      }
      const type = (headerValues(response, 'content-type')[0] ?? '').toLowerCase();
      if (type.includes('html') && response.body !== '') {
        const head = extractHtmlHead(response.body);
        this.readHead(head, agent, finalUrl, response, add, steps, tdmEvidence, rslUrls);
      }
    }

    const decision = combineTdmrep(steps);
    if (decision.reservation !== 'unset' && decision.decidedBy) {
      const decisive = tdmEvidence.find((e) => e.technique === decision.decidedBy);
      const signal: SignalName =
        decision.decidedBy === 'well-known-file'
          ? 'tdmrep.json'
          : decision.decidedBy === 'http-header'
            ? 'tdm-reservation header'
            : 'tdm-reservation meta';
      const reading = readProtocolWord('tdmrep', 'tdm', decision.reservation === 'reserved' ? '1' : '0');
      const said = reading.known && reading.stance !== 'unknown' ? saidFromScopes(reading.stance, reading.uses) : {};
      add(
        {
          signal,
          protocol: 'tdmrep',
          url: decisive?.url ?? tdmrepUrl,
          fetchedAt: decisive?.fetchedAt ?? at.toISOString(),
          ...(decisive?.status !== undefined ? { status: decisive.status } : {}),
          raw: decisive?.raw ?? '',
          note: `TDMRep ${decision.reservation} (decided by ${decision.decidedBy}; steps: ${decision.steps.map((s) => `${s.technique}=${s.reservation ?? 'none'}`).join(', ')})${decision.policyUrl ? `; terms at ${decision.policyUrl}` : ''}`,
        },
        said,
        { blanket: true },
      );
    }

    // ai.txt (Spawning): refuses media to training datasets; read with the resource's path.
    if (aiTxt.ok) {
      const r = aiTxt.response;
      if (r.status >= 200 && r.status < 300) {
        const verdict = evaluateAiTxt(this.parseOnce('ai-txt', r, parseAiTxt), { userAgent: agent, path });
        add(
          {
            signal: 'ai.txt',
            protocol: 'ai-txt',
            url: aiTxtUrl,
            ...meta(r),
            raw: verdict.rule ? `${verdict.rule.kind === 'allow' ? 'Allow' : 'Disallow'}: ${verdict.rule.pattern}` : '',
            note: verdict.allowed
              ? 'the media is not refused (an Allow in ai.txt grants nothing: it is also written when nothing was chosen)'
              : 'the media is refused to AI training datasets',
          },
          verdict.allowed ? {} : saidFromScopes('deny', ['ai-train']),
          { blanket: true },
        );
      }
    } else {
      failed('ai.txt', 'ai-txt', aiTxtUrl, aiTxt.error, 'not read');
    }

    // RSL licences pointed to by robots.txt, Link headers and HTML links.
    await Promise.all(
      [...rslUrls].map(async ([rslUrl, via]) => {
        const got = await get(rslUrl, 'rsl');
        if (!got.ok) {
          failed('rsl', 'rsl', rslUrl, got.error, `found through ${via}; not read`);
          return;
        }
        const r = got.response;
        const parsed = r.status >= 200 && r.status < 300 ? this.parseOnce('rsl', r, parseRsl) : undefined;
        if (!parsed?.ok) {
          add({
            signal: 'rsl',
            protocol: 'rsl',
            url: rslUrl,
            ...meta(r),
            raw: r.body.slice(0, 200),
            note: `found through ${via}; ${parsed ? `not an RSL document: ${parsed.issues[0]?.message ?? ''}` : `HTTP ${r.status}`}`,
          });
          return;
        }
        const { said, raw } = rslSaid(parsed.value, finalUrl, options);
        add({ signal: 'rsl', protocol: 'rsl', url: rslUrl, ...meta(r), raw, note: `found through ${via}` }, said);
      }),
    );

    const statements = interpret(readings, at);
    const answers: { [U in Use]?: UseAnswer } = {};
    const byId = new Map(readings.map((r) => [r.evidence.id, r]));
    for (const use of uses) {
      const combination = combineStatements(statements.list, use, at.getTime());
      const answer: UseAnswerKind =
        combination.standing === 'refused'
          ? 'deny'
          : combination.standing === 'offered' || combination.standing === 'licensed'
            ? 'license'
            : combination.standing === 'allowed'
              ? 'allow'
              : 'unknown';
      const evidence = combination.evidence.map((e): UseEvidence => {
        const id = (e.statement.id ?? '').split(':')[0] ?? '';
        const reading = byId.get(id);
        const stance = e.statement.kind === 'preference' ? e.statement.stance.kind : 'allow';
        const why = statements.notes.get(e.statement.id ?? '');
        return {
          evidenceId: id,
          signal: reading?.evidence.signal ?? 'robots-txt',
          url: reading?.evidence.url ?? '',
          fetchedAt: reading?.evidence.fetchedAt ?? '',
          raw: reading?.evidence.raw ?? '',
          stance,
          effect: e.effect,
          decisive: e.decisive,
          ...(why ? { interpretation: why } : {}),
        };
      });
      answers[use] = {
        use,
        answer,
        standing: combination.standing,
        ...(answer === 'license' ? { terms: combination.offers.map((o) => o.terms) } : {}),
        evidence,
      };
    }
    return {
      url: target.href,
      finalUrl,
      userAgent: agent,
      checkedAt: at.toISOString(),
      answers,
      signals,
      statements: statements.list,
    };
  }

  private readHead(
    head: HtmlHeadSignals,
    agent: string,
    finalUrl: string,
    response: FetchResponse,
    add: (evidence: Omit<SignalEvidence, 'id' | 'says'>, said?: Said, flags?: { blanket?: boolean }) => void,
    steps: TdmrepStep[],
    tdmEvidence: { technique: string; url: string; fetchedAt: string; status?: number; raw: string }[],
    rslUrls: Map<string, SignalName>,
  ): void {
    const base = { url: finalUrl, fetchedAt: response.fetchedAt, status: response.status };
    for (const m of head.metas) {
      const name = m.name?.trim().toLowerCase();
      if (!name || m.content === undefined) continue;
      if (name === 'robots' || name === agent.toLowerCase()) {
        const reading = parseMetaRobots(name, m.content, agent);
        const said = robotsDirectivesSaid(reading.byUse, reading.searchDirectives);
        if (reading.directives.length > 0) {
          add(
            {
              signal: 'robots meta',
              protocol: 'html-meta',
              ...base,
              raw: `<meta name="${m.name ?? ''}" content="${m.content}">`,
            },
            said,
            { blanket: true },
          );
        }
      }
    }
    const tdmStep = readTdmrepMeta('html-meta', head.metas);
    if (tdmStep.reservation !== undefined) {
      steps.push(tdmStep);
      const raw = head.metas
        .filter((m) => /^tdm-(reservation|policy)$/i.test(m.name?.trim() ?? ''))
        .map((m) => `<meta name="${m.name ?? ''}" content="${m.content ?? ''}">`)
        .join('\n');
      tdmEvidence.push({ technique: 'html-meta', ...base, raw });
    }
    for (const link of head.links) {
      if (!link.rel.includes('license') || link.href === undefined) continue;
      if (link.type !== undefined ? link.type !== RSL_TYPE : !/\.xml(?:[?#]|$)/i.test(link.href)) continue;
      try {
        const u = new URL(link.href, finalUrl);
        if ((u.protocol === 'http:' || u.protocol === 'https:') && !rslUrls.has(u.href))
          rslUrls.set(u.href, 'link license html');
      } catch {
        // A bad href names no licence.
      }
    }
  }
}

const FATAL = new Set(['URL_INVALID', 'SCHEME_UNSUPPORTED', 'DNS_FAILED', 'ADDRESS_BLOCKED']);

function asReaderError(error: unknown, url: string): ReaderError {
  return error instanceof ReaderError ? error : new ReaderError('NETWORK_ERROR', String(error), { url, cause: error });
}

function mapAnswers(answers: { readonly [U in Use]: { readonly stance: 'allow' | 'deny' | 'unknown' } }): UseSignals {
  return Object.fromEntries(USES.map((u) => [u, { stance: answers[u].stance }])) as unknown as UseSignals;
}

/** `noai`/`noimageai` refuse AI uses; `noindex`/`none` refuse search (they ask not to be listed). */
function robotsDirectivesSaid(byUse: UseSignals, search: readonly string[]): Said {
  const said = saidFromSignals(byUse);
  if (search.includes('noindex') || search.includes('none')) said.search = { stance: 'deny' };
  return said;
}

function rslSaid(document: RslDocument, url: string, options: ReadSignalsOptions): { said: Said; raw: string } {
  const said: Said = {};
  const raw: string[] = [];
  for (const use of USES) {
    const e = evaluateRsl(document, {
      url,
      use,
      ...(options.user !== undefined ? { user: options.user } : {}),
      ...(options.geo !== undefined ? { geo: options.geo } : {}),
    });
    if (e.outcome === 'unknown') continue;
    if (e.outcome === 'license') {
      const terms = termsOfPayments(e.payments);
      // A licence whose price cannot be stated (a token server, an unknown currency) is read as a refusal: nothing
      // is cleared that heoga cannot quote.
      said[use] = terms ? { stance: 'license', terms } : { stance: 'deny' };
      const p = e.payments[0];
      raw.push(
        `${use}: license (${p?.type ?? 'free'}${p?.amount ? ` ${p.amount.value} ${p.amount.currency}` : ''}${e.server ? `, server ${e.server}` : ''})`,
      );
    } else {
      said[use] = { stance: e.outcome };
      raw.push(`${use}: ${e.outcome}`);
    }
  }
  return { said, raw: raw.join('; ') };
}

/**
 * Turns readings into core statements, one per signal and use, applying two readings of heoga's (documented in the
 * package README):
 * 1. A blanket refusal (TDMRep's reservation of all TDM, `noai`, ai.txt) names no use apart; where a use-specific
 *    signal of the same site (Content-Usage, Content-Signal, RSL) answers for a use, that answer says what the
 *    blanket one means for it, and the blanket statement stays as evidence with no stance (`unknown`).
 * 2. Most signals cannot say "for a price", so a priced use is published as a refusal with a pointer to the terms
 *    (research/signals.md §0, Traps). Where an RSL licence for the resource offers the use on terms, a refusal of it
 *    in another signal reads "not without a licence": a `license` stance on the RSL terms.
 * A crawl refusal in robots.txt is never softened. Core's combination then decides: any refusal wins, and so on.
 */
function interpret(readings: readonly Reading[], at: Date): { list: Statement[]; notes: Map<string, string> } {
  const list: Statement[] = [];
  const notes = new Map<string, string>();
  const observedAt = (r: Reading) => r.evidence.fetchedAt || at.toISOString();
  for (const reading of readings) {
    for (const use of USES) {
      const s = reading.said[use];
      if (!s) continue;
      let stance: PreferenceStatement['stance'] =
        s.stance === 'license' && s.terms
          ? { kind: 'license', terms: s.terms }
          : { kind: s.stance === 'license' ? 'deny' : s.stance };
      const id = `${reading.evidence.id}:${use}`;
      if (!reading.hard && stance.kind === 'deny') {
        const specific = readings.filter((r) => !r.blanket && !r.hard && r !== reading && r.said[use]);
        const offer = readings.find((r) => r.evidence.protocol === 'rsl' && r.said[use]?.stance === 'license')?.said[
          use
        ]?.terms;
        if (reading.blanket && specific.length > 0) {
          stance = { kind: 'unknown' };
          notes.set(
            id,
            `a blanket refusal; for ${use} the use-specific ${specific.map((r) => r.evidence.signal).join(', ')} say what it means`,
          );
        } else if (offer && reading.evidence.protocol !== 'rsl') {
          const rsl = readings.find((r) => r.evidence.protocol === 'rsl' && r.said[use]?.stance === 'license');
          stance = { kind: 'license', terms: offer };
          notes.set(
            id,
            `this signal cannot state a price; the RSL licence at ${rsl?.evidence.url ?? ''} offers ${use} on terms, so the refusal reads "not without a licence"`,
          );
        }
      }
      list.push({
        kind: 'preference',
        id,
        source: { kind: 'site-signal', protocol: reading.evidence.protocol, url: reading.evidence.url },
        // One statement per use: the reading already spread each scope over the uses it reaches.
        uses: [use],
        stance,
        observedAt: observedAt(reading),
      });
    }
  }
  return { list, notes };
}

/**
 * Reads every AI-use signal that applies to `url` and answers per use `allow` / `deny` / `license` (with terms) /
 * `unknown`, with evidence for each signal considered (which signal, at which URL, fetched when, raw value). It
 * fetches the origin's robots.txt, `/.well-known/tdmrep.json` and `/ai.txt`, the resource (its headers:
 * Content-Usage, Content-Signal, X-Robots-Tag, tdm-reservation/tdm-policy, Link rel=license; for HTML its head's
 * robots, tdm-reservation/tdm-policy meta tags and licence links) and the RSL licences pointed to; makes core
 * `Statement`s of them and lets core's `combineStatements` decide. A one-off reader is made for the call; use
 * {@link SignalReader} to share the cache and politeness across URLs.
 *
 * @throws {ReaderError} `URL_INVALID`, `SCHEME_UNSUPPORTED`, `DNS_FAILED` or `ADDRESS_BLOCKED` for the URL itself.
 * @example
 * ```ts
 * const report = await readSignals('https://example.com/article', { use: 'ai-train', userAgent: 'ExampleBot' });
 * report.answers['ai-train']?.answer // 'deny' when, say, Content-Signal says ai-train=no
 * ```
 */
export async function readSignals(
  url: string,
  options: ReadSignalsOptions & SignalReaderOptions = {},
): Promise<SignalReport> {
  const reader = new SignalReader(options);
  try {
    return await reader.read(url, options);
  } finally {
    reader.close();
  }
}
