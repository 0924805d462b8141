/**
 * The licence quote of a scan (`quote.json`): every registered work a licence is needed for, the offers its rights
 * holders make, an estimate of what the dataset's use costs where the price unit allows one, and each rights
 * holder's share of it. Money is integer minor units of one currency throughout; currencies are never mixed, so
 * every total is per currency.
 *
 * `QuoteAccumulator` is fed the same verdict lines as `ScanSummariser` (which owns one and feeds it), keeps one entry
 * per work named by an offer and nothing per record, and builds the quote at the end.
 */
import {
  canonicalJson,
  formatMoney,
  isCurrencyCode,
  type CurrencyCode,
  type LicenceScope,
  type LicenceTerms,
  type LicenceValidity,
  type Offer,
  type PriceUnit,
  type RegimeId,
  type Statement,
  type Use,
} from '@heoga/core';
import type { VerdictLine, WorkInfo } from '../types.js';
import type { ReportContext } from './report-context.js';

/** Bounds that keep a quote's memory and size independent of the record count. */
export const QUOTE_LIMITS = {
  /** Distinct offers kept per work; further ones are counted in `offersNotListed` and leave the estimate incomplete. */
  offersPerWork: 16,
  /** Distinct kinds of non-registry source counted; others are counted as `other`. */
  unattributedSources: 32,
} as const;

/** An amount of one currency, with the display string `formatMoney` gives (`KRW 1,250,000`). */
export interface CurrencyAmount {
  readonly currency: CurrencyCode;
  /** Integer minor units. */
  readonly amountMinor: number;
  readonly display: string;
}

/**
 * Why an offer (or a work) has no estimate:
 * - `per-1k-tokens`: priced per 1,000 tokens, and a scan does not count tokens;
 * - `invalid-price`: the amount is not a non-negative safe integer, or the currency is not an ISO 4217 code we know;
 * - `exceeds-safe-integer`: the estimate is larger than JavaScript integers hold exactly;
 * - `offers-not-listed`: the work had more distinct offers than `QUOTE_LIMITS.offersPerWork`.
 */
export type UntotalledReason = 'per-1k-tokens' | 'invalid-price' | 'exceeds-safe-integer' | 'offers-not-listed';

/** One licence offer for one work, as the quote lists it. */
export interface QuoteOffer {
  /** The rights holder whose own offer it is; absent when the registry entry speaks for all of the work's holders. */
  readonly rightsHolderId?: string;
  readonly price: CurrencyAmount;
  readonly unit: PriceUnit;
  readonly attribution: boolean;
  readonly scope?: LicenceScope;
  readonly validity?: LicenceValidity;
  /** Records (licence-required verdict lines) whose quote holds this offer. */
  readonly records: number;
  /** What the offer costs for this dataset: `once` (per work, or flat per dataset) or `per-record` (per item). */
  readonly estimate?: CurrencyAmount & { readonly basis: 'once' | 'per-record' };
  readonly untotalledBecause?: UntotalledReason;
  /** True for the offer the work's estimate counts: the cheapest one with an estimate from each offerer. */
  readonly selected: boolean;
}

/** One work a licence is needed for. */
export interface QuoteWork {
  readonly workId: string;
  /** False when the snapshot does not describe the work (its title and holders are then unknown). */
  readonly known: boolean;
  readonly title?: { readonly lang: string; readonly title: string };
  readonly kind?: string;
  readonly disputed: boolean;
  readonly holders: WorkInfo['holders'];
  /** Records (licence-required verdict lines) whose quote names this work. */
  readonly records: number;
  readonly offers: readonly QuoteOffer[];
  /** Occurrences of offers beyond `QUOTE_LIMITS.offersPerWork` distinct ones, not listed. */
  readonly offersNotListed: number;
  /** The estimate per currency: the sum of the selected offers. */
  readonly estimate: readonly CurrencyAmount[];
  /** True when every offerer's selected offer has an estimate (so `estimate` is the whole cost). */
  readonly complete: boolean;
  /** Why some offerer has no estimate, when `complete` is false. */
  readonly untotalledBecause: readonly UntotalledReason[];
}

/** A rights holder's part of one work's estimate, in one currency. */
export interface HolderShare {
  readonly workId: string;
  /** `share`: their share of an offer made for all of the work's holders; `own-offer`: an offer of their own. */
  readonly basis: 'share' | 'own-offer';
  /** Their share of the amount in basis points (10,000 for their own offer). */
  readonly shareBp: number;
  readonly currency: CurrencyCode;
  readonly amountMinor: number;
}

/** What one rights holder is owed under the quote. */
export interface QuoteHolder {
  readonly holderId: string;
  /** Their name as the snapshot gives it, when it does. */
  readonly name?: string;
  /** Works of theirs the quote lists. */
  readonly works: number;
  /** What they are owed per currency (the sum of `shares`). */
  readonly amounts: readonly CurrencyAmount[];
  readonly shares: readonly HolderShare[];
}

/** A currency's total over every work, and how many works it sums. */
export interface CurrencyTotal extends CurrencyAmount {
  readonly works: number;
}

/** The contents of `quote.json`. */
export interface ScanQuote {
  readonly format: 'heoga-scan-quote/1';
  readonly use: Use;
  readonly regime: RegimeId;
  readonly snapshot: { readonly id: string; readonly registry: string; readonly createdAt: string };
  readonly input: { readonly path: string; readonly sha256: string; readonly records: number };
  /** When the scan finished. */
  readonly generatedAt: string;
  readonly licencesNeeded: {
    /** Records whose verdict is `license-required`. */
    readonly records: number;
    /** Works named by the offers of those records. */
    readonly works: number;
    /** Distinct offers listed over all works. */
    readonly offers: number;
    /** Licence-required records whose quote holds no offer at all. */
    readonly recordsWithoutOffers: number;
    /** Offers that name no registry work (a site signal's or embedded metadata's): counted, not priced. */
    readonly unattributed: {
      readonly records: number;
      readonly offers: number;
      readonly sources: readonly { readonly source: string; readonly offers: number }[];
    };
  };
  /** True when every work's estimate is complete and no offer is unattributed. */
  readonly complete: boolean;
  /** Per currency, sorted by currency code: the sum of every work's estimate. */
  readonly totals: readonly CurrencyTotal[];
  /** The part of `totals` owed for works whose rights holders the snapshot does not identify. */
  readonly unidentified: readonly CurrencyAmount[];
  /** Why some offers have no estimate: how many works and offers each reason concerns. */
  readonly untotalled: readonly {
    readonly because: UntotalledReason;
    readonly works: number;
    readonly offers: number;
  }[];
  /** Every work a licence is needed for, most records first. */
  readonly works: readonly QuoteWork[];
  /** Every rights holder of a listed work or named by an offer: those owed something first, then most works. */
  readonly holders: readonly QuoteHolder[];
}

/** A short summary of the quote, for `report.json`. */
export interface QuoteSummary {
  readonly records: number;
  readonly works: number;
  readonly offers: number;
  readonly complete: boolean;
  readonly totals: readonly CurrencyTotal[];
  readonly untotalled: ScanQuote['untotalled'];
}

/**
 * Splits `totalMinor` among `shares` in proportion to their basis points, in integer minor units, so that the parts
 * add up to `totalMinor` exactly. Each part is first rounded down; the units left over go one each to the largest
 * remainders (ties: the smaller id, then the earlier entry), the largest remainder method. Shares are normalised by
 * their sum, so they need not add up to 10,000; non-positive or non-integer shares count as 0. Parts come back in
 * the order of `shares`; with no positive share, the result is empty.
 *
 * @throws {RangeError} when `totalMinor` is not a non-negative safe integer.
 * @example
 * ```ts
 * splitByShares(100, [{ id: 'a', shareBp: 3_333 }, { id: 'b', shareBp: 3_333 }, { id: 'c', shareBp: 3_334 }])
 * // [{ id: 'a', amountMinor: 33 }, { id: 'b', amountMinor: 33 }, { id: 'c', amountMinor: 34 }]
 * ```
 */
export function splitByShares(
  totalMinor: number,
  shares: readonly { readonly id: string; readonly shareBp: number }[],
): { id: string; amountMinor: number }[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) {
    throw new RangeError(`splitByShares: total must be a non-negative safe integer, got ${totalMinor}`);
  }
  const weights = shares.map((s) => (Number.isSafeInteger(s.shareBp) && s.shareBp > 0 ? BigInt(s.shareBp) : 0n));
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return [];
  const total = BigInt(totalMinor);
  const parts = weights.map((w, index) => {
    const product = total * w;
    return { index, base: product / sum, remainder: product % sum };
  });
  let left = total - parts.reduce((a, p) => a + p.base, 0n);
  const order = [...parts].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    const idA = shares[a.index]!.id;
    const idB = shares[b.index]!.id;
    if (idA !== idB) return idA < idB ? -1 : 1;
    return a.index - b.index;
  });
  const amounts = parts.map((p) => p.base);
  for (const p of order) {
    if (left === 0n) break;
    if (weights[p.index] === 0n) continue;
    amounts[p.index]! += 1n;
    left -= 1n;
  }
  return shares.map((s, i) => ({ id: s.id, amountMinor: Number(amounts[i]) }));
}

interface OfferState {
  readonly rightsHolderId: string | undefined;
  readonly terms: LicenceTerms;
  records: number;
}

interface WorkState {
  readonly workId: string;
  readonly info: WorkInfo | undefined;
  records: number;
  readonly offers: Map<string, OfferState>;
  offersNotListed: number;
}

type OfferEstimate =
  | { readonly ok: true; readonly amountMinor: number; readonly basis: 'once' | 'per-record' }
  | { readonly ok: false; readonly because: UntotalledReason };

/** What `terms` cost for a dataset in which `records` records hold the work. */
function estimateOffer(terms: LicenceTerms, records: number): OfferEstimate {
  const { amountMinor, currency } = terms.price;
  if (!Number.isSafeInteger(amountMinor) || amountMinor < 0 || !isCurrencyCode(currency)) {
    return { ok: false, because: 'invalid-price' };
  }
  switch (terms.unit) {
    case 'per-work':
    case 'flat-per-dataset':
      // DESIGN §3: per-work is charged once per work used; flat-per-dataset once for the dataset. A flat offer is
      // counted once per work that carries it, which overstates a holder's one flat offer made on several works.
      return { ok: true, amountMinor, basis: 'once' };
    case 'per-item': {
      const product = BigInt(amountMinor) * BigInt(records);
      if (product > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, because: 'exceeds-safe-integer' };
      return { ok: true, amountMinor: Number(product), basis: 'per-record' };
    }
    case 'per-1k-tokens':
      return { ok: false, because: 'per-1k-tokens' };
    default: {
      const unreachable: never = terms.unit;
      return { ok: false, because: unreachable };
    }
  }
}

/** An offer open to commercial licensees: AI developers usually are, so the estimate prefers such offers. */
function openToCommercialUse(terms: LicenceTerms): boolean {
  return terms.scope?.users === undefined || terms.scope.users.includes('commercial');
}

function amount(currency: CurrencyCode, amountMinor: number): CurrencyAmount {
  return { currency, amountMinor, display: formatMoney({ amountMinor, currency }) };
}

/** Adds `add` to `map[currency]` in bigint, so that sums stay exact; `toAmounts` checks the range at the end. */
function addTo(map: Map<CurrencyCode, bigint>, currency: CurrencyCode, add: number): void {
  map.set(currency, (map.get(currency) ?? 0n) + BigInt(add));
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`${what} exceeds ${Number.MAX_SAFE_INTEGER} minor units and cannot be represented exactly`);
  }
  return Number(value);
}

function toAmounts(map: ReadonlyMap<CurrencyCode, bigint>, what: string): CurrencyAmount[] {
  return [...map.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, sum]) => amount(currency, toSafeNumber(sum, `${what} in ${currency}`)));
}

/** A label for a source that names no registry work, from a closed vocabulary where the statement uses one. */
function sourceLabel(statement: Statement): string {
  const source = statement.source;
  switch (source.kind) {
    case 'site-signal':
      return `site-signal:${source.protocol}`;
    case 'embedded-metadata':
      return `embedded-metadata:${source.format}`;
    case 'registry':
      return 'registry';
    case 'licence':
      return 'licence';
    default: {
      const unreachable: never = source;
      return String((unreachable as { kind?: unknown }).kind);
    }
  }
}

interface HolderState {
  readonly holderId: string;
  name: string | undefined;
  readonly works: Set<string>;
  readonly amounts: Map<CurrencyCode, bigint>;
  readonly shares: HolderShare[];
}

/**
 * Accumulates the licence quote from verdict lines, one at a time, keeping one entry per work named by an offer of
 * the registry (never anything per record). `ScanSummariser` owns one and feeds it every line it is given; use this
 * class directly only to build a quote without a report.
 *
 * @example
 * ```ts
 * const quotes = new QuoteAccumulator((id) => snapshot.findWork(id));
 * for await (const line of verdictLines) quotes.add(line);
 * await writeFile('quote.json', JSON.stringify(quotes.finish(context), null, 2));
 * ```
 */
export class QuoteAccumulator {
  readonly #lookupWork: (workId: string) => WorkInfo | undefined;
  readonly #works = new Map<string, WorkState>();
  #records = 0;
  #recordsWithoutOffers = 0;
  #unattributedRecords = 0;
  #unattributedOffers = 0;
  readonly #unattributedSources = new Map<string, number>();

  constructor(lookupWork: (workId: string) => WorkInfo | undefined) {
    this.#lookupWork = lookupWork;
  }

  /** Takes one verdict line into account; lines other than `license-required` ones are ignored. */
  add(line: VerdictLine): void {
    if (line.verdict !== 'license-required') return;
    this.#records += 1;
    const offers: readonly Offer[] = line.quote?.offers ?? [];
    if (offers.length === 0) {
      this.#recordsWithoutOffers += 1;
      return;
    }
    // The distinct offers of this record, per work: a record counts once for each work and each offer.
    const perWork = new Map<string, Map<string, Offer>>();
    let unattributed = 0;
    for (const offer of offers) {
      const statement = offer.statement;
      if (statement.kind === 'preference' && statement.source.kind === 'registry') {
        const key = `${statement.source.rightsHolderId ?? ''}\u0000${canonicalJson(offer.terms)}`;
        let byKey = perWork.get(statement.source.workId);
        if (byKey === undefined) perWork.set(statement.source.workId, (byKey = new Map<string, Offer>()));
        byKey.set(key, offer);
      } else {
        unattributed += 1;
        const label = sourceLabel(statement);
        const counted =
          this.#unattributedSources.has(label) || this.#unattributedSources.size < QUOTE_LIMITS.unattributedSources
            ? label
            : 'other';
        this.#unattributedSources.set(counted, (this.#unattributedSources.get(counted) ?? 0) + 1);
      }
    }
    if (unattributed > 0) {
      this.#unattributedRecords += 1;
      this.#unattributedOffers += unattributed;
    }
    for (const [workId, byKey] of perWork) {
      let work = this.#works.get(workId);
      if (work === undefined) {
        work = { workId, info: this.#lookupWork(workId), records: 0, offers: new Map(), offersNotListed: 0 };
        this.#works.set(workId, work);
      }
      work.records += 1;
      for (const [key, offer] of byKey) {
        let state = work.offers.get(key);
        if (state === undefined) {
          if (work.offers.size >= QUOTE_LIMITS.offersPerWork) {
            work.offersNotListed += 1;
            continue;
          }
          const source = offer.statement.source;
          const rightsHolderId = source.kind === 'registry' ? source.rightsHolderId : undefined;
          state = { rightsHolderId, terms: offer.terms, records: 0 };
          work.offers.set(key, state);
        }
        state.records += 1;
      }
    }
  }

  /** How many works the quote names so far. */
  get works(): number {
    return this.#works.size;
  }

  /**
   * Builds the quote from what was added. Does not change the accumulator: calling it twice gives equal quotes.
   *
   * @throws {RangeError} when a currency's total exceeds `Number.MAX_SAFE_INTEGER` minor units.
   */
  finish(context: ReportContext): ScanQuote {
    const totals = new Map<CurrencyCode, bigint>();
    const worksPerCurrency = new Map<CurrencyCode, number>();
    const unidentified = new Map<CurrencyCode, bigint>();
    const untotalled = new Map<UntotalledReason, { works: Set<string>; offers: number }>();
    const holders = new Map<string, HolderState>();
    const noteUntotalled = (because: UntotalledReason, workId: string, offers: number): void => {
      let entry = untotalled.get(because);
      if (entry === undefined) untotalled.set(because, (entry = { works: new Set(), offers: 0 }));
      entry.works.add(workId);
      entry.offers += offers;
    };
    const holderOf = (holderId: string, name: string | undefined): HolderState => {
      let holder = holders.get(holderId);
      if (holder === undefined) {
        holder = { holderId, name, works: new Set(), amounts: new Map(), shares: [] };
        holders.set(holderId, holder);
      }
      holder.name ??= name;
      return holder;
    };

    const works: QuoteWork[] = [];
    let offerCount = 0;
    for (const work of this.#sortedWorks()) {
      const workHolders = work.info?.holders ?? [];
      const holderNames = new Map(workHolders.map((h) => [h.id, h.name]));
      const offers = [...work.offers.values()].map((state) => ({
        state,
        estimate: estimateOffer(state.terms, state.records),
      }));
      offerCount += offers.length;

      // Offers from one offerer (one rights holder, or the registry entry for all holders) are alternatives: the
      // estimate takes the cheapest open to commercial use, else the cheapest; across currencies, the first by code.
      const offerers = new Map<string, typeof offers>();
      for (const offer of offers) {
        const key = offer.state.rightsHolderId ?? '';
        offerers.set(key, [...(offerers.get(key) ?? []), offer]);
      }
      const selected = new Set<(typeof offers)[number]>();
      const reasons = new Set<UntotalledReason>();
      if (work.offersNotListed > 0) reasons.add('offers-not-listed');
      for (const group of offerers.values()) {
        const priced = group.filter((o) => o.estimate.ok);
        const preferred = priced.some((o) => openToCommercialUse(o.state.terms))
          ? priced.filter((o) => openToCommercialUse(o.state.terms))
          : priced;
        const best = preferred.sort(compareEstimates)[0];
        if (best === undefined) {
          for (const o of group) if (!o.estimate.ok) reasons.add(o.estimate.because);
        } else {
          selected.add(best);
        }
      }
      for (const because of reasons) {
        const affected =
          because === 'offers-not-listed'
            ? work.offersNotListed
            : offers.filter((o) => !o.estimate.ok && o.estimate.because === because).length;
        noteUntotalled(because, work.workId, affected);
      }

      const estimate = new Map<CurrencyCode, bigint>();
      for (const offer of selected) {
        if (!offer.estimate.ok) continue;
        const currency = offer.state.terms.price.currency;
        const value = offer.estimate.amountMinor;
        addTo(estimate, currency, value);
        const own = offer.state.rightsHolderId;
        if (own !== undefined) {
          const holder = holderOf(own, holderNames.get(own));
          holder.works.add(work.workId);
          addTo(holder.amounts, currency, value);
          holder.shares.push({
            workId: work.workId,
            basis: 'own-offer',
            shareBp: 10_000,
            currency,
            amountMinor: value,
          });
          continue;
        }
        const parts = splitByShares(
          value,
          workHolders.map((h) => ({ id: h.id, shareBp: h.shareBp })),
        );
        if (parts.length === 0) {
          addTo(unidentified, currency, value);
          continue;
        }
        parts.forEach((part, i) => {
          const share = workHolders[i]!;
          const holder = holderOf(share.id, share.name);
          holder.works.add(work.workId);
          addTo(holder.amounts, currency, part.amountMinor);
          holder.shares.push({
            workId: work.workId,
            basis: 'share',
            shareBp: share.shareBp,
            currency,
            amountMinor: part.amountMinor,
          });
        });
      }
      // Holders named by the work but owed nothing here (e.g. only per-1k-token offers) are still listed.
      for (const h of workHolders) holderOf(h.id, h.name).works.add(work.workId);
      for (const [currency, sum] of estimate) {
        addTo(totals, currency, toSafeNumber(sum, `the estimate of ${work.workId}`));
        worksPerCurrency.set(currency, (worksPerCurrency.get(currency) ?? 0) + 1);
      }

      works.push({
        workId: work.workId,
        known: work.info !== undefined,
        ...(work.info?.title === undefined ? {} : { title: work.info.title }),
        ...(work.info === undefined ? {} : { kind: work.info.kind }),
        disputed: work.info?.disputed ?? false,
        holders: workHolders,
        records: work.records,
        offers: offers.map((offer) => {
          const { state, estimate: e } = offer;
          return {
            ...(state.rightsHolderId === undefined ? {} : { rightsHolderId: state.rightsHolderId }),
            price: amount(state.terms.price.currency, state.terms.price.amountMinor),
            unit: state.terms.unit,
            attribution: state.terms.attribution,
            ...(state.terms.scope === undefined ? {} : { scope: state.terms.scope }),
            ...(state.terms.validity === undefined ? {} : { validity: state.terms.validity }),
            records: state.records,
            ...(e.ok
              ? { estimate: { ...amount(state.terms.price.currency, e.amountMinor), basis: e.basis } }
              : { untotalledBecause: e.because }),
            selected: selected.has(offer),
          };
        }),
        offersNotListed: work.offersNotListed,
        estimate: toAmounts(estimate, `the estimate of ${work.workId}`),
        complete: reasons.size === 0,
        untotalledBecause: [...reasons].sort(),
      });
    }

    const holderList: QuoteHolder[] = [...holders.values()]
      // Holders owed something first, then those with most works, then by id.
      .sort(
        (a, b) =>
          Number(b.amounts.size > 0) - Number(a.amounts.size > 0) ||
          b.works.size - a.works.size ||
          (a.holderId < b.holderId ? -1 : a.holderId > b.holderId ? 1 : 0),
      )
      .map((h) => ({
        holderId: h.holderId,
        ...(h.name === undefined ? {} : { name: h.name }),
        works: h.works.size,
        amounts: toAmounts(h.amounts, `the amount owed to ${h.holderId}`),
        shares: h.shares,
      }));

    return {
      format: 'heoga-scan-quote/1',
      use: context.use,
      regime: context.regime,
      snapshot: { id: context.snapshot.id, registry: context.snapshot.registry, createdAt: context.snapshot.createdAt },
      input: { path: context.input.path, sha256: context.input.sha256, records: context.input.records },
      generatedAt: context.finishedAt,
      licencesNeeded: {
        records: this.#records,
        works: works.length,
        offers: offerCount,
        recordsWithoutOffers: this.#recordsWithoutOffers,
        unattributed: {
          records: this.#unattributedRecords,
          offers: this.#unattributedOffers,
          sources: [...this.#unattributedSources.entries()]
            .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
            .map(([source, offers]) => ({ source, offers })),
        },
      },
      complete: works.every((w) => w.complete) && this.#unattributedOffers === 0,
      totals: toAmounts(totals, 'the total').map((t) => ({ ...t, works: worksPerCurrency.get(t.currency) ?? 0 })),
      unidentified: toAmounts(unidentified, 'the unidentified total'),
      untotalled: [...untotalled.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([because, e]) => ({ because, works: e.works.size, offers: e.offers })),
      works,
      holders: holderList,
    };
  }

  /** Works with the most records first, then by id. */
  #sortedWorks(): WorkState[] {
    return [...this.#works.values()].sort(
      (a, b) => b.records - a.records || (a.workId < b.workId ? -1 : a.workId > b.workId ? 1 : 0),
    );
  }
}

/** Orders priced offers: by currency code, then by estimate, then by canonical terms (so the order is total). */
function compareEstimates(
  a: { readonly state: OfferState; readonly estimate: OfferEstimate },
  b: { readonly state: OfferState; readonly estimate: OfferEstimate },
): number {
  const ca = a.state.terms.price.currency;
  const cb = b.state.terms.price.currency;
  if (ca !== cb) return ca < cb ? -1 : 1;
  const ea = a.estimate.ok ? a.estimate.amountMinor : Number.POSITIVE_INFINITY;
  const eb = b.estimate.ok ? b.estimate.amountMinor : Number.POSITIVE_INFINITY;
  if (ea !== eb) return ea - eb;
  const ka = canonicalJson(a.state.terms);
  const kb = canonicalJson(b.state.terms);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** The summary of a quote that `report.json` carries. */
export function summariseQuote(quote: ScanQuote): QuoteSummary {
  return {
    records: quote.licencesNeeded.records,
    works: quote.licencesNeeded.works,
    offers: quote.licencesNeeded.offers,
    complete: quote.complete,
    totals: quote.totals,
    untotalled: quote.untotalled,
  };
}
