// @ts-check
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** DESIGN §4.1: core runs in the browser; it may import only its own files and pure packages. */
const CORE_ALLOWED_PACKAGES = ['zod', '@noble/hashes', '@noble/curves'];
const escapeRegExp = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'coverage/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportAllDeclaration', message: 'List exports by name (STYLE §2).' },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.test.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // A package and its subpath exports ('@noble/hashes/sha2.js') are allowed.
              regex: `^(?!\\.{1,2}/|(?:${CORE_ALLOWED_PACKAGES.map(escapeRegExp).join('|')})(?:/|$))`,
              message: 'core is pure and isomorphic: no node:*, fs, process or I/O packages (DESIGN §4.1).',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'core runs in the browser: pass configuration in.' },
        { name: 'Buffer', message: 'core runs in the browser: use Uint8Array.' },
        { name: 'require', message: 'ESM only.' },
        { name: '__dirname', message: 'core does no file I/O.' },
      ],
    },
  },
  {
    files: ['packages/cli/src/**/*.ts'],
    ignores: ['packages/cli/src/bin.ts', 'packages/cli/src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'Only bin.ts reads process; pass a CliIo in (STYLE §4).' },
      ],
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  prettier,
);
