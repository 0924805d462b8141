import { spawnSync } from 'node:child_process';

/** Debian packages that provide the system tools heoga's tests and features need (scripts/setup-system.sh). */
export const SYSTEM_TOOLS = {
  chromium: 'chromium',
  perl: 'perl',
  ffmpeg: 'ffmpeg',
  fpcalc: 'libchromaprint-tools',
} as const;

/** True when `command` is on the PATH. */
export function hasSystemTool(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v "$1" >/dev/null 2>&1`, 'sh', command]).status === 0;
}

/**
 * Fails (throws) with an instruction when a system tool a test needs is missing: such a test must never pass
 * silently. Call it at the top of the test.
 *
 * @example
 * ```ts
 * it('fingerprints audio', () => { requireSystemTool('fpcalc', 'libchromaprint-tools'); … });
 * ```
 */
export function requireSystemTool(command: string, debianPackage: string): void {
  if (!hasSystemTool(command)) {
    throw new Error(
      `missing system tool '${command}': install the Debian package '${debianPackage}' (run: sudo bash scripts/setup-system.sh)`,
    );
  }
}
