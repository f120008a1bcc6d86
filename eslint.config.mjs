import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Layer rules (docs/architecture.md): which src/ folder may import which. Relative specifiers are
// matched by regex (`../../extension/log`); scripts/check-layers.mjs checks the same lines and DOM globals.
const up = '^(\\.\\./)+';
const layer = (...names) => `${up}(${names.join('|')})(/|$)`;
const noVscode = { regex: '^vscode$', message: 'Only src/extension may import vscode.' };
const forbid = (message, ...names) => ({ regex: layer(...names), message });
const layerRules = {
  'src/core/**/*.ts': [
    noVscode,
    forbid('src/core imports only itself and src/format.', 'extension', 'webview', 'cli', 'standin', 'protocol'),
  ],
  'src/format/**/*.ts': [noVscode, { regex: up, message: 'src/format imports nothing outside itself.' }],
  'src/protocol/**/*.ts': [
    noVscode,
    forbid(
      'src/protocol imports only itself (and types from src/core).',
      'extension',
      'webview',
      'cli',
      'standin',
      'format',
    ),
    // Core's shapes by name only: erased at build, so no core code reaches a webview. check-layers also
    // checks that the core file declares nothing but types.
    {
      regex: layer('core'),
      allowTypeImports: true,
      message: 'src/protocol imports from src/core only with `import type`.',
    },
    {
      regex: `${up}core(?!(/[\\w.-]+)*/types$)(/|$)`,
      message: "src/protocol imports only core's types-only modules (a core folder's types.ts).",
    },
  ],
  'src/webview/**/*.ts': [
    noVscode,
    forbid('src/webview imports only src/protocol and src/format.', 'core', 'extension', 'cli', 'standin'),
  ],
  'src/cli/**/*.ts': [
    noVscode,
    forbid('src/cli imports only src/core and src/format.', 'extension', 'webview', 'standin', 'protocol'),
  ],
  'src/standin/**/*.ts': [
    noVscode,
    forbid('src/standin imports only itself.', 'core', 'extension', 'webview', 'cli', 'protocol', 'format'),
  ],
  'src/extension/**/*.ts': [
    forbid('src/extension never imports the webviews, the CLI or the stand-in.', 'webview', 'cli', 'standin'),
    // The activation bundle must not carry the engine: values from it come through loadEngine() (types are fine).
    {
      regex: `${up}core(/index|/engine|/git|/promptfile(/index|/schemaCheck)?|/providers/(resolver|openai)|/(run/runner|store|compare|evaluators)(/.*)?)?$`,
      allowTypeImports: true,
      message:
        'The engine is loaded on first use: call loadEngine() (src/extension/engine.ts); import only types from it here.',
    },
  ],
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'dist-test/**',
      'node_modules/**',
      'out/**',
      '.vscode-test/**',
      '**/*.mjs',
      '**/*.js',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    ignores: ['src/webview/**'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  ...Object.entries(layerRules).map(([glob, patterns]) => ({
    files: [glob],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  })),
  {
    files: ['src/webview/**/*.ts'],
    languageOptions: {
      parserOptions: { project: './src/webview/tsconfig.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Model output is untrusted: never assign it as HTML.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Use textContent / DOM nodes; model output is untrusted text.' },
        { property: 'outerHTML', message: 'Use textContent / DOM nodes.' },
        { property: 'insertAdjacentHTML', message: 'Use DOM nodes.' },
      ],
    },
  },
);
