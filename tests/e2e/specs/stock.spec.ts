import { expect, test, type Locator, type Page } from '@playwright/test';

import { Desk, PHONE, desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

// The scenarios share one organisation, so the main site's supplies keep the items of
// earlier scenarios: every check looks at this scenario's own items (unique names and codes).

/** How long a change takes to reach the other device over the local relay, at most. */
const SYNC = 20_000;

async function openStock(desk: Desk) {
  await desk.page.locator('[data-testid=nav-stock]').click();
  await desk.page.locator('[data-testid=stock-items]').click();
  await expect(desk.page.locator('[data-testid=stock-search]')).toBeVisible();
}

function row(page: Page, name: string): Locator {
  return page.locator('[data-testid=stock-row]').filter({ hasText: name });
}

type NewItem = { name: string; sku: string; lotTracked?: boolean; par?: number; reorderPoint?: number };

/** Adds an item through the item form and leaves it open in the panel. */
async function addItem(desk: Desk, item: NewItem) {
  const page = desk.page;
  await page.locator('[data-testid=stock-add-item]').click();
  const form = page.locator('[data-testid=item-form]');
  await form.locator('[data-testid=item-name]').fill(item.name);
  await form.locator('[data-testid=item-category]').selectOption({ index: item.lotTracked ? 3 : 0 });
  await form.locator('[data-testid=item-unit]').fill('box');
  await form.locator('[data-testid=item-sku]').fill(item.sku);
  await form.locator('[data-testid=item-location]').fill('Supply room A');
  await form.locator('[data-testid=item-supplier]').fill('Northwind Medical Supply');
  await form.locator('[data-testid=item-par]').fill(String(item.par ?? 40));
  await form.locator('[data-testid=item-reorder-point]').fill(String(item.reorderPoint ?? 10));
  if (item.lotTracked) await form.locator('[data-testid=item-lot-tracked]').check();
  await form.locator('[data-testid=item-save]').click();
  await expect(row(page, item.name)).toHaveCount(1);
}

/** Finds an item by its code, as a keyboard-wedge scanner types it and presses Enter. */
async function scan(page: Page, code: string) {
  const search = page.locator('[data-testid=stock-search]');
  await search.fill(code);
  await search.press('Enter');
}

/** Records a movement in the open item's panel. */
async function move(page: Page, kind: string, quantity: string, extra: { lot?: string; expiry?: string } = {}) {
  await page.locator('[data-testid=stock-kind]').selectOption(kind);
  await page.locator('[data-testid=stock-quantity]').fill(quantity);
  if (extra.lot !== undefined) await page.locator('[data-testid=stock-lot-number]').fill(extra.lot);
  if (extra.expiry !== undefined) await page.locator('[data-testid=stock-lot-expiry]').fill(extra.expiry);
  await page.locator('[data-testid=stock-post]').click();
}

function onHand(page: Page): Locator {
  return page.locator('[data-testid=item-on-hand]');
}

/** The browser's date `days` from today, as a date field wants it (YYYY-MM-DD). */
async function dateFromToday(page: Page, days: number): Promise<string> {
  return page.evaluate((days) => {
    const d = new Date();
    d.setDate(d.getDate() + days);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  }, days);
}

test('two desks dispense the same item offline; after reconnecting both show the exact total and both movements', async ({
  browser,
}) => {
  const tag = unique();
  const name = `Exam gloves ${tag}`;
  const sku = `GLV-${tag}`;
  const deskA = await open(browser, `Desk A ${tag}`);
  const deskB = await open(browser, `Desk B ${tag}`);
  await openStock(deskA);
  await addItem(deskA, { name, sku });
  await move(deskA.page, 'receive', '10');
  await expect(onHand(deskA.page)).toHaveText('10');
  await deskA.expectAllSaved();

  await openStock(deskB);
  await expect(row(deskB.page, name).locator('[data-testid=stock-on-hand]')).toHaveText('10', { timeout: SYNC });
  await scan(deskB.page, sku);
  await expect(onHand(deskB.page)).toHaveText('10');

  for (const desk of [deskA, deskB]) await desk.context.setOffline(true);
  await move(deskA.page, 'use', '3');
  await move(deskB.page, 'use', '3');
  for (const desk of [deskA, deskB]) {
    await expect(onHand(desk.page)).toHaveText('7');
    // One use changes two documents (the counters and the month's log): two bundles wait.
    await desk.expectWaiting(2);
  }

  for (const desk of [deskA, deskB]) await desk.context.setOffline(false);
  for (const desk of [deskA, deskB]) {
    await expect(onHand(desk.page)).toHaveText('4', { timeout: SYNC });
    await expect(row(desk.page, name).locator('[data-testid=stock-on-hand]')).toHaveText('4');
    const uses = desk.page.locator('[data-testid=movement-row]').filter({ hasText: 'Used' });
    await expect(uses).toHaveCount(2);
    await expect(uses.filter({ hasText: `Desk A ${tag}` })).toHaveCount(1);
    await expect(uses.filter({ hasText: `Desk B ${tag}` })).toHaveCount(1);
    await desk.expectAllSaved();
  }
});

test('a scan finds the item, an unknown code and bad quantities are refused with a sentence, and a lot-tracked receipt needs a good expiry', async ({
  browser,
}) => {
  const tag = unique();
  const desk = await open(browser, `Desk ${tag}`);
  const page = desk.page;
  await openStock(desk);
  const name = `Flu vaccine ${tag}`;
  await addItem(desk, { name, sku: `VAC-${tag}`, lotTracked: true });
  await page.locator('button[aria-label="Close"]').first().click();

  await scan(page, `NOPE-${tag}`);
  await expect(page.locator('[data-testid=stock-search-error]')).toContainText(`NOPE-${tag}`);
  await scan(page, `vac-${tag}`);
  await expect(onHand(page)).toHaveText('0');

  for (const bad of ['abc', '-2', '0', '2.5']) {
    await move(page, 'use', bad);
    await expect(page.locator('[data-testid=stock-error]')).toBeVisible();
    await expect(onHand(page)).toHaveText('0');
  }
  // A receipt of a lot-tracked item needs its lot, and an expiry after today.
  await move(page, 'receive', '5', { lot: `L-${tag}`, expiry: await dateFromToday(page, -3) });
  await expect(page.locator('[data-testid=stock-error]')).toContainText('has passed');
  await expect(onHand(page)).toHaveText('0');
  await move(page, 'receive', '5', { lot: `L-${tag}`, expiry: await dateFromToday(page, 200) });
  await expect(onHand(page)).toHaveText('5');
  await expect(page.locator('[data-testid=lot-row]').filter({ hasText: `L-${tag}` })).toContainText('5');
  await desk.expectAllSaved();
});

test("the manager's phone sees a lot expiring soon and a recalled lot across sites", async ({ browser }) => {
  const tag = unique();
  const desk = await open(browser, `Desk ${tag}`);
  await openStock(desk);
  const name = `Tdap vaccine ${tag}`;
  await addItem(desk, { name, sku: `TDAP-${tag}`, lotTracked: true });
  await move(desk.page, 'receive', '6', { lot: `R-${tag}`, expiry: await dateFromToday(desk.page, 20) });
  await expect(onHand(desk.page)).toHaveText('6');
  await desk.expectAllSaved();

  const phone = await open(browser, `Phone ${tag}`, PHONE);
  await phone.page.locator('[data-testid=nav-stock]').click();
  await phone.page.locator('[data-testid=stock-expiry]').click();
  const soon = phone.page.locator('[data-testid=expiry-row]').filter({ hasText: `R-${tag}` });
  await expect(soon).toHaveCount(1, { timeout: SYNC });
  await expect(soon).toContainText(name);
  await phone.page.locator('[data-testid=recall-input]').fill(`r-${tag}`);
  await phone.page.locator('[data-testid=recall-find]').click();
  await expect(phone.page.locator('[data-testid=recall-row]').filter({ hasText: name })).toContainText('6');
});
