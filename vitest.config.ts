// Test runner settings: forks (native better-sqlite3 and child processes), generous timeouts for real servers/browsers.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Browser, SMTP and feed-reader tests share two cores; keep parallelism modest.
    maxWorkers: 2,
  },
});
