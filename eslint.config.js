import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: globals.node,
      parserOptions: { projectService: { allowDefaultProject: ['*.js', 'scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // Layers: exec knows nothing above it (see docs/ARCHITECTURE.md).
  {
    files: ['src/exec/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['react', 'react/*', 'ink', 'ink-*', 'zod', 'openai'], message: 'src/exec knows nothing of UI, protocol or models.' },
            { group: ['../*', '!../exec/*'], message: 'src/exec may only import from src/exec.' },
          ],
        },
      ],
    },
  },
  // The UI (TUI state, components, commands) reaches the backend only through the protocol client.
  {
    files: ['src/tui/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'commands/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/exec/*', '**/core/*', '**/backend.js'], message: 'The UI talks to the backend only through src/protocol.' },
            { group: ['node-pty', 'execa', '@xterm/*', 'pidusage'], message: 'The UI does not run processes.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
