import { execFileSync } from 'node:child_process';

import { expect, test } from '@playwright/test';

import { desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

/** Runs `sync-server org quota e2e …` on the running relay's database, as its operator. */
function quota(...args: string[]): string {
  const bin = process.env.E2E_RELAY_BIN;
  const data = process.env.E2E_RELAY_DATA;
  if (!bin || !data) throw new Error('E2E_RELAY_BIN/E2E_RELAY_DATA unset: run through playwright.config.ts');
  return execFileSync(bin, ['org', 'quota', 'e2e', ...args, '--data', data], { encoding: 'utf8' });
}

test("a relay with no room left for the practice: the desk's booking stays on the tablet, the desk is told, and it goes out once there is room", async ({
  browser,
}) => {
  const id = unique();
  const provider = `Dr Quinn Roomless ${id}`;
  const patient = `Morgan Fulltest ${id}`;
  const desk = await open(browser, 'Front desk A');
  await desk.addProvider(provider);
  await desk.expectAllSaved();

  // The operator gives the practice no room at all.
  expect(quota('--mib', '0')).toContain('under its own quota of 0 MiB');
  try {
    await desk.book({ patient, time: '10:00', minutes: 30, provider });
    await expect(desk.page.locator('[data-testid=problem]').filter({ hasText: 'no room left' })).toContainText(
      'What is changed here is kept on this device',
    );
    await expect(desk.status).not.toHaveText(/all saved/);
    // Kept here: still on the day after the tablet restarts, though the relay took none of it.
    await desk.reopen();
    await desk.showTomorrow();
    await expect(desk.appointment(patient)).toBeVisible();
    await expect(desk.status).not.toHaveText(/all saved/);
  } finally {
    expect(quota('--relay-default')).toContain("under the relay's quota");
  }

  // Room again: the next connection sends it, and another desk sees the booking.
  await desk.reopen();
  await desk.showTomorrow();
  await desk.expectAllSaved();
  const other = await open(browser, 'Front desk B');
  await expect(other.appointment(patient)).toBeVisible();
});
