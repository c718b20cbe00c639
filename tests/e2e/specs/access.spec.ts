import { expect, test } from '@playwright/test';

import { desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

test("a tablet enrolled for the main site is refused another site's documents by the relay, says so, and works at its own", async ({
  browser,
}) => {
  const mainToken = process.env.E2E_MAIN_TOKEN;
  if (!mainToken) throw new Error('E2E_MAIN_TOKEN unset: run through playwright.config.ts');
  const id = unique();
  const site = `Lakeside ${id}`;

  // The manager's desk, enrolled for every site, opens a new site.
  const manager = await open(browser, 'Manager desk');
  await manager.page.locator('[data-testid=nav-settings]').click();
  await manager.page.locator('[data-testid=site-name]').fill(site);
  await manager.page.locator('[data-testid=add-site]').click();
  await expect(manager.page.locator('[data-testid=site]').filter({ hasText: site })).toBeVisible();

  // The main site's tablet gets the new site with the directory, but not its documents.
  const tablet = await open(browser, 'Main tablet', {}, mainToken);
  const page = tablet.page;
  await page.locator('[data-testid=nav-sites]').click();
  const card = page.locator('[data-testid=site-card]').filter({ hasText: site });
  await expect(card.locator('[data-testid=site-not-enrolled]')).toHaveText(
    'This device is not enrolled for this site.',
  );
  await expect(card.locator('[data-testid=site-booked]')).toHaveCount(0);
  await expect(page.locator('[data-testid=problem]').filter({ hasText: `lakeside-${id}` })).toContainText(
    'This device is not enrolled for the site',
  );
  const main = page.locator('[data-testid=site-card]').filter({ hasText: 'Main' }).first();
  await expect(main.locator('[data-testid=site-booked]')).toBeVisible();

  // At its own site it books, and the manager's desk has the booking.
  const provider = `Dr Access ${id}`;
  const patient = `Quinn Enrolled ${id}`;
  await page.locator('[data-testid=nav-today]').click();
  await tablet.addProvider(provider);
  await tablet.book({ patient, time: '10:00', minutes: 15, provider });
  await tablet.expectAllSaved();
  await manager.page.locator('[data-testid=nav-today]').click();
  await expect(manager.appointment(patient)).toBeVisible();
});
