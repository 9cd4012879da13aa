// Flat config: typescript-eslint's recommended rules, the formatting rules (ESLint Stylistic), plus
// the layering rules below.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'media/**', '.cache/**', 'models/**', 'test/artifacts/**', '**/*.tgz', '.gl/**', '.carry/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Formatting, checked by `npm run lint` and fixed by `npx eslint --fix .`: the house style (2 spaces,
  // single quotes, semicolons, trailing commas in multi-line lists). Long lines are allowed on purpose.
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js', '**/*.cjs'],
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/indent': ['error', 2, {
        SwitchCase: 1, flatTernaryExpressions: true,
        ignoredNodes: ['TemplateLiteral *', 'TSUnionType > TSTypeLiteral', 'TSUnionType > TSTypeLiteral *', 'TSTypeAnnotation > TSTypeLiteral', 'TSTypeAnnotation > TSTypeLiteral *'],
      }],
      '@stylistic/quotes': ['error', 'single', { avoidEscape: true, allowTemplateLiterals: 'always' }],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/comma-dangle': ['error', 'always-multiline'],
      '@stylistic/comma-spacing': 'error',
      '@stylistic/key-spacing': 'error',
      '@stylistic/keyword-spacing': 'error',
      '@stylistic/space-before-blocks': 'error',
      '@stylistic/space-infix-ops': 'error',
      '@stylistic/space-in-parens': ['error', 'never'],
      '@stylistic/arrow-spacing': 'error',
      '@stylistic/block-spacing': 'error',
      '@stylistic/no-trailing-spaces': 'error',
      '@stylistic/eol-last': 'error',
      '@stylistic/no-multiple-empty-lines': ['error', { max: 1, maxEOF: 0 }],
      '@stylistic/no-extra-semi': 'error',
      '@stylistic/member-delimiter-style': 'error',
      '@stylistic/type-annotation-spacing': 'error',
      '@stylistic/no-tabs': 'error',
      '@stylistic/spaced-comment': ['error', 'always', { markers: ['/'], exceptions: ['-', '='] }],
    },
  },
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
