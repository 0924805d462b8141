import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** The side effects the registry needs, passed in so that tests control time and identifiers. */
export interface RegistryDeps {
  /** The current time. */
  readonly now: () => Date;
  /** A new unique identifier with a readable prefix (`w_…` for works). */
  readonly newId: (prefix: string) => string;
  /** A new secret token of `bytes` random bytes, base64url. */
  readonly randomToken: (bytes: number) => string;
  /** The registry's name in evidence (its public base URL). */
  readonly registryName: string;
}

/** The real side effects: the system clock and the operating system's random source. */
export function defaultDeps(registryName = 'heoga'): RegistryDeps {
  return {
    now: () => new Date(),
    newId: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '')}`,
    randomToken: (bytes) => randomBytes(bytes).toString('base64url'),
    registryName,
  };
}

/** SHA-256 of a string, hex. Used for tokens and keys, which are stored only as hashes. */
export function sha256Hex(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}
