// ESLint (flat config) with typescript-eslint's type-checked rules; `npm run lint`, part of npm test.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['vitest.config.ts'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The code marks indexed reads with `!` as if noUncheckedIndexedAccess were on; keep them.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Matching terminal escape sequences (ESC, BEL, control keys) is this program's business.
      'no-control-regex': 'off',
      // Callbacks are arrow functions typed with method syntax in interfaces; the rule cannot tell.
      '@typescript-eslint/unbound-method': 'off',
      // Cell kinds live in typed arrays and are compared with const enum members by design.
      '@typescript-eslint/no-unsafe-enum-comparison': 'off',
      // Async methods that satisfy a Promise-returning interface need no await.
      '@typescript-eslint/require-await': 'off',
      // Result cells are JSON scalars (or unknown at the boundary); String() is the deliberate catch-all.
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Floating promises are bugs here; `void` marks the deliberate fire-and-forget ones.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    // The JSON boundary: InfluxDB's responses arrive as `any` from JSON.parse (a typed lossless
    // value replaces it in issue 13 item 4); the unsafe-any rules apply everywhere else.
    files: ['src/query/lossless.ts', 'src/query/raw-values.ts', 'src/query/execute.ts', 'src/connection/http.ts', 'src/connection/profiles.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Tests read the program's JSON output and poke at internals; `any` there is what a reader expects.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
