import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const bin = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

function heoga(args: string[], input?: string) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', LANG: 'C', HEOGA_LANG: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('heoga as a process', () => {
  it('is built (npm test builds first)', () => {
    expect(existsSync(bin), `${bin} is missing: run npm run build`).toBe(true);
  });

  it('prints its version', () => {
    const r = heoga(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('evaluates the README example, data on stdout only', () => {
    const r = heoga(['evaluate', '--regime', 'jp-30-4', '--use', 'ai-input', '--json', 'examples/statements.json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({
      outcome: 'blocked',
      reason: 'refused-by-rights-holder',
      regime: 'jp-30-4',
    });
  });

  it('reads standard input', () => {
    const r = heoga(['evaluate', '--regime', 'opt-out', '--use', 'ai-train', '--json', '-'], '[]');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ outcome: 'cleared', reason: 'no-reservation-found' });
  });

  it('reports errors on stderr with the exit code of their family', () => {
    const usage = heoga(['evaluate', '--use', 'ai-train', 'examples/statements.json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("required option '--regime <regime>' not specified");
    const io = heoga(['evaluate', '--regime', 'opt-out', '--use', 'ai-train', 'no/such/file.json']);
    expect(io.code).toBe(4);
    expect(io.stdout).toBe('');
    const invalid = heoga(['evaluate', '--regime', 'opt-out', '--use', 'ai-train', '-'], '{"statements": 3}');
    expect(invalid.code).toBe(3);
    expect(invalid.stderr).toContain('STATEMENTS_INVALID');
  });
});
