// Flat config: typescript-eslint's recommended rules, plus the layering rules below.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'media/**', '.cache/**', 'models/**', 'test/artifacts/**', '**/*.tgz', '.gl/**', '.carry/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  // Layers: extension/core (mesh, model, runtime, engine, analysis, protocol, solver) is shared by
  // the host, the CLI and the webview, so it imports none of them and never `vscode`; the CLI and
  // the webview import core only; only extension/host imports `vscode`.
  {
    files: ['extension/core/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only extension/host may import vscode.' }],
        patterns: [{ group: ['**/host/**', '**/cli/**', '**/webview/**'], message: 'extension/core is shared by host, CLI and webview: it imports none of them.' }],
      }],
    },
  },
  {
    files: ['extension/cli/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only extension/host may import vscode.' }],
        patterns: [{ group: ['**/host/**', '**/webview/**'], message: 'The CLI builds on extension/core only.' }],
      }],
    },
  },
  {
    files: ['webview/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'Only extension/host may import vscode.' }],
        patterns: [{ group: ['**/extension/host/**', '**/extension/cli/**'], message: 'The webview builds on extension/core only.' }],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
