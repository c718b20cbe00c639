import { defineConfig, devices } from '@playwright/test';

/**
 * End-to-end tests against the release build of the client (`dist/`, built by
 * `trunk build --release`) served by the real relay (`target/debug/sync-server serve`),
 * which global-setup.ts starts on 127.0.0.1:$E2E_PORT with a fresh data directory.
 *
 * The browser is Debian's Chromium (`apt-get install chromium`): Playwright's own browser
 * download is not available on these machines.
 */
export const PORT = Number(process.env.E2E_PORT ?? 18481);
export const BASE_URL = `http://127.0.0.1:${PORT}`;

export default defineConfig({
  testDir: './specs',
  globalSetup: './global-setup.ts',
  outputDir: './test-results/artifacts',
  // The scenarios share one relay and one organisation: run them one after the other.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['./summary-reporter.ts']],
  use: {
    ...devices['Desktop Chrome'],
    baseURL: BASE_URL,
    // A landscape reception tablet.
    viewport: { width: 1024, height: 768 },
    hasTouch: true,
    serviceWorkers: 'allow',
    actionTimeout: 10_000,
    navigationTimeout: 20_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
