import { defineConfig } from '@playwright/test';
import base from '../../playwright.config.ts';

// The README's screenshots, taken of the real app on synthetic studies: not part of the test suite.
//   npm run build && npx playwright test --config test/readme/playwright.config.ts
export default defineConfig({ ...base, testDir: '.', outputDir: '../../test-results/readme', reporter: 'list' });
