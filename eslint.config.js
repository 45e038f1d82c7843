// Lint: typescript-eslint recommended plus the architecture's import rules
// (core never imports a venue; venues never import each other; venue folders stay pure).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const venues = ['binance', 'bybit', 'okx'];

const venueRules = venues.map((venue) => ({
  files: [`src/exchanges/${venue}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...venues
            .filter((v) => v !== venue)
            .map((v) => ({ group: [`**/exchanges/${v}/**`, `../${v}/**`, `../${v}`], message: 'A venue never imports another venue.' })),
          { group: ['**/client/**', '**/testing/**', '**/cli/**'], message: 'A venue folder only describes its venue.' },
          { group: ['ws', 'node:net', 'node:http', 'node:https'], message: 'Venue folders hold no sockets: the core owns transport.' },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', Buffer: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-globals': ['error', { name: 'parseFloat', message: 'Money is never a float: use Decimal or parseScaled.' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/exchanges/**', '**/client/**', '**/testing/**', '**/cli/**'], message: 'The core never imports a venue or the layers above it.' }] },
      ],
    },
  },
  ...venueRules,
  {
    files: ['src/testing/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/exchanges/**', '**/client/**'], message: 'The simulator never shares wire code with the client: write frames the way the venue does.' }] },
      ],
    },
  },
);
