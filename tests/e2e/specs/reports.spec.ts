import { expect, test } from '@playwright/test';

import { desksPerScenario, PHONE } from './desk';

// The manager's phone reads last month of the demo clinic's past year, and finds the
// figures the demo's year is built to show every month (app/demo/src/year.rs): one no-show
// in nine due (11 %), one late cancel in ten booked (10 %), six confirmed in nine (66 %), a
// median wait for the room of 20 minutes and a 90th percentile of 40, and 12 minutes in the
// room. The phone's clock stands on the 16th of this month, so that the demo's own week
// (around "today") lies wholly in this month and last month holds only the past year.
// Then the manager sets the practice's currency to pounds, and the report's spend says so.

const open = desksPerScenario();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

test("the manager's phone reads last month of the demo clinic's year: the known figures, charts and tables alike", async ({
  browser,
}) => {
  const token = process.env.E2E_YEAR_TOKEN;
  if (!token) throw new Error('E2E_YEAR_TOKEN unset: run through playwright.config.ts');
  const real = new Date();
  const clock = new Date(real.getFullYear(), real.getMonth(), 16, 10, 0, 0);
  const lastMonth = new Date(clock.getFullYear(), clock.getMonth() - 1, 1);
  const label = `${MONTHS[lastMonth.getMonth()]} ${lastMonth.getFullYear()}`;

  const phone = await open(browser, 'Manager phone', PHONE, token, { clock });
  const page = phone.page;
  await page.getByTestId('nav-settings').click();
  await page.getByRole('button', { name: 'Fill with a demo clinic' }).click();
  await expect(page.getByTestId('demo-added')).toBeVisible();
  await page.getByRole('button', { name: "Add the demo's past year" }).click();
  await expect(page.getByTestId('demo-year-added')).toContainText('past appointments over the twelve months');
  // The year is some 10,000 appointments: the phone writes and seals them before it reads
  // them back, and a touch meanwhile may wait longer than a click's patience.
  await expect(phone.status).toHaveText(/Online · all saved/, { timeout: 60_000 });

  await page.getByTestId('nav-reports').click();
  await page.getByLabel('Months').check();
  const row = page.getByTestId('report-period').filter({ has: page.getByRole('rowheader', { name: label, exact: true }) });
  await expect(row).toHaveCount(1);
  const cells = row.getByRole('cell');
  // Booked, due, no-shows, late cancels, confirmed, wait median and 90th, in the room.
  await expect(cells.nth(2)).toContainText('(11%)', { timeout: 30_000 });
  await expect(cells.nth(3)).toContainText('(10%)');
  await expect(cells.nth(4)).toHaveText('66%');
  await expect(cells.nth(5)).toHaveText('20 min');
  await expect(cells.nth(6)).toHaveText('40 min');
  await expect(cells.nth(7)).toHaveText('12 min');
  await expect(cells.nth(8)).toHaveText('12 min');
  const booked = Number(await cells.nth(0).textContent());
  const due = Number(await cells.nth(1).textContent());
  expect(booked % 10, 'ten appointments a working day').toBe(0);
  expect(due * 10, 'nine of every ten come due').toBe(booked * 9);

  // The charts draw what the table says.
  for (const [chart, figure] of [
    ['chart-no-show', '11'],
    ['chart-late-cancel', '10'],
    ['chart-confirmed', '66'],
    ['chart-wait', '20'],
  ]) {
    await expect(page.locator(`[data-testid=${chart}] rect.bar[data-label="${label}"]`)).toHaveAttribute('data-value', figure);
  }

  // Last month is the one in detail: each provider's utilisation, chart and table agreeing.
  await expect(page.getByTestId('report-focus')).toHaveValue('10');
  const utilisation = page.getByTestId('section-utilisation');
  await expect(utilisation.locator('figcaption')).toContainText(label);
  const rows = utilisation.getByTestId('report-row');
  await expect(rows).toHaveCount(3);
  for (const provider of await rows.all()) {
    const name = await provider.getByRole('rowheader').textContent();
    const percent = (await provider.getByRole('cell').nth(2).textContent())?.replace('%', '');
    await expect(utilisation.locator(`rect.bar[data-label="${name}"]`)).toHaveAttribute('data-value', percent ?? '');
  }

  // Every site: the same rates, more appointments.
  await page.getByTestId('report-sites').selectOption('all');
  await expect(cells.nth(2)).toContainText('(11%)');
  await expect.poll(async () => Number(await cells.nth(0).textContent())).toBeGreaterThan(booked);
  await expect(utilisation.getByTestId('report-row')).toHaveCount(4);
  await expect(cells.nth(9)).toHaveText(/^\$[\d,]+\.\d{2}$/);

  // The practice keeps pounds: set once in Settings, the same spend is said in them.
  await page.getByTestId('nav-settings').click();
  await page.getByLabel('Currency').selectOption('GBP');
  await page.getByRole('button', { name: 'Save the currency' }).click();
  await expect(page.getByTestId('currency-saved')).toContainText('Pound sterling (GBP)');
  await page.getByTestId('nav-reports').click();
  await page.getByLabel('Months').check();
  await expect(cells.nth(9)).toHaveText(/^£[\d,]+\.\d{2}$/, { timeout: 30_000 });
  await phone.expectAllSaved();
});
