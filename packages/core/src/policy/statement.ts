import type { LicenceTerms } from './licence-terms.js';
import type { UseScope } from './uses.js';

/** The machine-readable web signals heoga reads (research/signals.md §1–§6). */
export const SIGNAL_PROTOCOLS = [
  'robots-txt',
  'aipref-header',
  'content-signal',
  'rsl',
  'tdmrep',
  'x-robots-tag',
  'html-meta',
  'ai-txt',
] as const;

/** A web signal protocol. */
export type SignalProtocol = (typeof SIGNAL_PROTOCOLS)[number];

/** Metadata embedded in a file that can carry an AI-use statement (research/signals.md §1, §4, §7). */
export const METADATA_FORMATS = ['iptc', 'c2pa', 'cawg', 'tdmrep-epub', 'tdmrep-pdf', 'rsl-embedded'] as const;

/** A kind of embedded metadata. */
export type MetadataFormat = (typeof METADATA_FORMATS)[number];

/** A registry entry: the policy a rights holder (or an organisation under mandate) set for a registered work. */
export interface RegistrySource {
  readonly kind: 'registry';
  /** Which registry: its base URL or name. */
  readonly registry: string;
  readonly workId: string;
  readonly rightsHolderId?: string;
}

/** A signal published on the web for the item's URL. */
export interface SiteSignalSource {
  readonly kind: 'site-signal';
  readonly protocol: SignalProtocol;
  /** Where the signal was read (the robots.txt URL, the page URL, the tdmrep.json URL…). */
  readonly url: string;
}

/** Metadata embedded in the item's own file. */
export interface EmbeddedMetadataSource {
  readonly kind: 'embedded-metadata';
  readonly format: MetadataFormat;
  /** The file or dataset member the metadata was read from. */
  readonly location?: string;
  /** Who signed the metadata, where the format is signed (C2PA/CAWG). */
  readonly signer?: string;
}

/** Where a preference came from. */
export type PreferenceSource = RegistrySource | SiteSignalSource | EmbeddedMetadataSource;

/** A licence the developer holds. */
export interface LicenceSource {
  readonly kind: 'licence';
  readonly licenceId: string;
  /** Who granted it (the registry's base URL or name, or a rights holder). */
  readonly issuer: string;
  readonly licensee?: string;
}

/** A rights holder's stance on a use: allow, deny, license on terms, or an explicit "no preference". */
export type Stance =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny' }
  | { readonly kind: 'license'; readonly terms: LicenceTerms }
  | { readonly kind: 'unknown' };

/** The stance kinds, in order from least to most restrictive. */
export const STANCE_KINDS = ['unknown', 'allow', 'license', 'deny'] as const;

/** A kind of stance. */
export type StanceKind = Stance['kind'];

/**
 * How restrictive a stance is, by its place in `STANCE_KINDS`: unknown < allow < license < deny.
 *
 * @example
 * ```ts
 * stanceRestrictiveness('deny') > stanceRestrictiveness('license') // true
 * ```
 */
export function stanceRestrictiveness(kind: StanceKind): number {
  return STANCE_KINDS.indexOf(kind);
}

/** What one source says about the uses of one item. */
export interface PreferenceStatement {
  readonly kind: 'preference';
  /** A caller-chosen label, echoed in the evidence. */
  readonly id?: string;
  readonly source: PreferenceSource;
  readonly uses: readonly UseScope[];
  readonly stance: Stance;
  /** RFC 3339 time when the source was read. */
  readonly observedAt?: string;
}

/** A licence held for the item: permission from the rights holders for some uses, for a period. */
export interface LicenceHeldStatement {
  readonly kind: 'licence-held';
  readonly id?: string;
  readonly source: LicenceSource;
  readonly uses: readonly UseScope[];
  /** RFC 3339; the licence is not valid before. */
  readonly validFrom?: string;
  /** RFC 3339; the licence is not valid from this time on. */
  readonly validUntil?: string;
  /** RFC 3339; the licence was revoked at this time. */
  readonly revokedAt?: string;
  readonly observedAt?: string;
}

/**
 * One statement about the uses of one item: a preference (registry entry, site signal, embedded metadata) or a
 * licence held.
 */
export type Statement = PreferenceStatement | LicenceHeldStatement;
