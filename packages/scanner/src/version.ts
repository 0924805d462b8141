/** The scanner's version, as reports cite it. */
export const SCANNER_VERSION = '0.1.0';
