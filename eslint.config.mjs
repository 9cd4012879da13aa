// Flat config: typescript-eslint's recommended rules, plus the layering rule that keeps `vscode`
// out of everything below the host layer (mesh I/O, model, runtime, CLI, webview).
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
  {
    files: ['extension/mesh/**', 'extension/model/**', 'extension/runtime/**', 'extension/engine/**', 'extension/protocol/**', 'extension/cli/**', 'webview/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Only extension/host may import vscode (pure modules run in Node, the CLI and the webview).' }] }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
