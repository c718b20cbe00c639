import { expect, test, type Locator, type Page } from '@playwright/test';

import { Desk, OWNER, PHONE, desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

/** How long a change takes to reach the other device over the local relay, at most. */
const SYNC = 20_000;

/** Adds a member of staff at the main site through Settings. */
async function addStaff(desk: Desk, name: string, role = 'Front desk') {
  const page = desk.page;
  await page.locator('[data-testid=nav-settings]').click();
  const card = page.locator('[data-testid=staff-card]');
  await card.locator('[data-testid=staff-name]').fill(name);
  await card.locator('[data-testid=staff-role]').fill(role);
  await card.locator('[data-testid=add-staff]').click();
  await expect(card.locator('[data-testid=staff-member]').filter({ hasText: name })).toBeVisible();
}

/** Opens Roster → Week on the week after this one, where every day is still to come. */
async function openNextWeek(desk: Desk) {
  const page = desk.page;
  await page.locator('[data-testid=nav-roster]').click();
  await page.locator('[data-testid=roster-week]').click();
  await page.locator('[data-testid=week-this]').click();
  await page.locator('[data-testid=week-next]').click();
  await expect(page.locator('[data-testid=week-grid]')).toBeVisible();
}

function personRow(page: Page, name: string): Locator {
  return page.locator('[data-testid=week-row]').filter({ has: page.locator('[data-testid=week-person]', { hasText: name }) });
}

function openRow(page: Page): Locator {
  return page.locator('[data-testid=week-row]').first();
}

/** The cell of a row on a weekday (0: Monday). */
function cell(row: Locator, weekday: number): Locator {
  return row.locator('td.week-cell').nth(weekday);
}

/** Adds a shift in `row` on `weekday` through the panel. */
async function addShift(page: Page, row: Locator, weekday: number, start: string, end: string, breakText = '') {
  await cell(row, weekday).locator('[data-testid=add-shift]').click();
  const panel = page.locator('[data-testid=shift-panel]');
  await panel.locator('[data-testid=shift-start]').fill(start);
  await panel.locator('[data-testid=shift-end]').fill(end);
  await panel.locator('[data-testid=shift-break]').fill(breakText);
  await panel.locator('[data-testid=save-shift]').click();
}

test("the manager's phone rosters shifts offline; a desk tablet sees them after the phone reconnects", async ({ browser }) => {
  const tag = unique();
  const person = `Robin Mockwell ${tag}`;
  const phone = await open(browser, `Manager phone ${tag}`, PHONE);
  const desk = await open(browser, `Desk ${tag}`);
  await addStaff(phone, person);
  await phone.expectAllSaved();
  await openNextWeek(phone);
  await openNextWeek(desk);
  await expect(personRow(desk.page, person)).toHaveCount(1, { timeout: SYNC });

  await phone.context.setOffline(true);
  const row = personRow(phone.page, person);
  // An end before the start is refused with a sentence, and nothing is added.
  await addShift(phone.page, row, 2, '15:30', '07:30');
  await expect(phone.page.locator('[data-testid=shift-error]')).toContainText('before it starts');
  await expect(row.locator('[data-testid=shift-chip]')).toHaveCount(0);
  // So is a break outside the shift.
  await phone.page.locator('[data-testid=shift-start]').fill('07:30');
  await phone.page.locator('[data-testid=shift-end]').fill('15:30');
  await phone.page.locator('[data-testid=shift-break]').fill('16:00-16:30');
  await phone.page.locator('[data-testid=save-shift]').click();
  await expect(phone.page.locator('[data-testid=shift-error]')).toContainText('outside the shift');
  await expect(row.locator('[data-testid=shift-chip]')).toHaveCount(0);
  await phone.page.locator('[data-testid=shift-break]').fill('12:00-12:30');
  await phone.page.locator('[data-testid=save-shift]').click();
  await expect(cell(row, 2).locator('[data-testid=shift-chip]')).toContainText('07:30–15:30');
  await phone.page.locator('[data-testid=close-shift]').click();
  // An open shift on Thursday, for anyone to claim.
  await addShift(phone.page, openRow(phone.page), 3, '10:00', '18:00', '30');
  await phone.page.locator('[data-testid=close-shift]').click();
  const open3 = cell(openRow(phone.page), 3).locator('[data-testid=shift-chip]').filter({ hasText: '10:00–18:00' });
  await expect(open3).toHaveCount(1);
  await phone.expectWaiting(2);
  await expect(personRow(phone.page, person).locator('[data-testid=week-hours]')).toHaveText(/^7\.5 h/);

  // The desk has seen nothing yet.
  await expect(personRow(desk.page, person).locator('[data-testid=shift-chip]')).toHaveCount(0);

  await phone.context.setOffline(false);
  await phone.expectAllSaved();
  const deskRow = personRow(desk.page, person);
  await expect(cell(deskRow, 2).locator('[data-testid=shift-chip]')).toContainText('07:30–15:30', { timeout: SYNC });
  await expect(cell(openRow(desk.page), 3).locator('[data-testid=shift-chip]').filter({ hasText: '10:00–18:00' })).toHaveCount(1);
  await expect(deskRow.locator('[data-testid=week-hours]')).toHaveText(/^7\.5 h/);
});

test('two managers change the same shift offline; after reconnecting both see both values and settle on one', async ({ browser }) => {
  const tag = unique();
  const person = `Quinn Testcase ${tag}`;
  const a = await open(browser, `Manager A ${tag}`);
  const b = await open(browser, `Manager B ${tag}`, PHONE);
  await addStaff(a, person);
  await openNextWeek(a);
  await addShift(a.page, personRow(a.page, person), 1, '08:00', '16:00');
  await a.page.locator('[data-testid=close-shift]').click();
  await a.expectAllSaved();
  await openNextWeek(b);
  const chipOn = (desk: Desk) => cell(personRow(desk.page, person), 1).locator('[data-testid=shift-chip]');
  await expect(chipOn(b)).toContainText('08:00–16:00', { timeout: SYNC });

  for (const desk of [a, b]) await desk.context.setOffline(true);
  for (const [desk, end] of [
    [a, '17:00'],
    [b, '18:00'],
  ] as const) {
    await chipOn(desk).click();
    await desk.page.locator('[data-testid=shift-end]').fill(end);
    await desk.page.locator('[data-testid=save-shift]').click();
    await expect(chipOn(desk)).toContainText(`08:00–${end}`);
    await desk.page.locator('[data-testid=close-shift]').click();
  }
  for (const desk of [a, b]) await desk.context.setOffline(false);

  // Neither change vanished: the shift is marked, and its panel offers both ends.
  for (const desk of [a, b]) {
    await expect(chipOn(desk)).toHaveClass(/disputed/, { timeout: SYNC });
    await chipOn(desk).click();
    const settle = desk.page.locator('[data-testid=settle]');
    await expect(settle).toHaveCount(2);
    await expect(settle.filter({ hasText: '17:00' })).toHaveCount(1);
    await expect(settle.filter({ hasText: '18:00' })).toHaveCount(1);
  }
  await a.page.locator('[data-testid=settle]').filter({ hasText: '18:00' }).click();
  for (const desk of [a, b]) {
    await expect(chipOn(desk)).not.toHaveClass(/disputed/, { timeout: SYNC });
    await expect(chipOn(desk)).toContainText('08:00–18:00');
    await expect(desk.page.locator('[data-testid=settle]')).toHaveCount(0);
  }
  // The shift's own history, read from the roster's changes: both managers' edits, each
  // named by who was signed in and at which device.
  await b.page.getByRole('button', { name: 'Show changes' }).click();
  const changes = b.page.getByRole('list', { name: 'Changes' });
  await expect(changes).toContainText(`${OWNER.name} at Manager A ${tag}`);
  await expect(changes).toContainText(`${OWNER.name} at Manager B ${tag}`);
});
