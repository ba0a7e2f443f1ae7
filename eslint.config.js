import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/*
 * Layer rules (see ../shared/STYLE.md): shared imports nothing of ours and no platform; renderer and
 * preload never import main; only main/index.ts, main/windows and main/ipc/electron-* import
 * electron. scripts/check-layers.test.ts checks the same boundaries over every import form.
 */
const ours = (...layers) =>
  layers.map((layer) => ({
    group: [`**/${layer}/**`, `../${layer}`],
    message: `this layer must not import ${layer}/`,
  }));
const electronOnly = {
  name: 'electron',
  message: 'only main/index.ts, main/windows/ and main/ipc/electron-*.ts may import electron',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      '.tmp/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'named exports only' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // Config files are the tools' own convention: they need a default export.
    files: ['*.config.ts', '*.config.js', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Playwright fixtures take their dependencies by destructuring, even when there are none.
    files: ['e2e/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            ...ours('main', 'renderer', 'preload'),
            { group: ['node:*'], message: 'shared/ runs in the renderer too: no Node built-ins' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly],
          patterns: [
            ...ours('main', 'preload'),
            { group: ['node:*'], message: 'the renderer has no Node built-ins' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ours('main', 'renderer') }],
    },
  },
  {
    files: ['main/**/*.ts'],
    ignores: ['main/index.ts', 'main/windows/**', 'main/ipc/electron-*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly], patterns: ours('renderer', 'preload') },
      ],
    },
  },
  {
    files: ['main/index.ts', 'main/windows/**', 'main/ipc/electron-*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ours('renderer', 'preload') }],
    },
  },
);
