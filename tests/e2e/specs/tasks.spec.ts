import { expect, test, type Locator, type Page } from '@playwright/test';

import { Desk, OWNER, PHONE, desksPerScenario, unique } from './desk';

// Every scenario opens its own devices; their console output is printed when it fails.
const open = desksPerScenario();

// The scenarios share one organisation, so its boards keep the cards of earlier scenarios:
// every check below looks at this scenario's own cards (unique titles), or compares whole
// boards between devices, never counts a whole column against a fixed number.

/** How long a change takes to reach the other device over the local relay, at most. */
const SYNC = 20_000;

/** Opens Tasks on the board of `board` ("site": the site in view, "org": the organisation's). */
async function openBoard(desk: Desk, board: 'site' | 'org' = 'site') {
  const page = desk.page;
  await page.locator('[data-testid=nav-tasks]').click();
  await page.locator('[data-testid=tasks-board]').click();
  await page.locator('[data-testid=board-picker]').selectOption(board);
  await expect(page.locator('[data-testid=board-picker]')).toHaveValue(board);
  await expect(page.locator('[data-testid=board] [data-testid=column]').first()).toBeVisible();
}

function column(page: Page, id: string): Locator {
  return page.locator(`[data-testid=board] [data-testid=column][data-column="${id}"]`);
}

/** The cards whose title contains `title`, wherever they are on the board. */
function cardTitled(page: Page, title: string): Locator {
  return page
    .locator('[data-testid=board] [data-testid=task-card]')
    .filter({ has: page.locator('[data-testid=card-title]', { hasText: title }) });
}

function cardWithId(page: Page, id: string): Locator {
  return page.locator(`[data-testid=board] [data-testid=task-card][data-card="${id}"]`);
}

/** Adds a card at the bottom of `columnId` by its quick-add field; returns the card's id. */
async function addCard(desk: Desk, columnId: string, title: string): Promise<string> {
  const target = column(desk.page, columnId);
  await target.locator('[data-testid=quick-add]').fill(title);
  await target.locator('[data-testid=quick-add-button]').click();
  const card = cardTitled(desk.page, title);
  await expect(card).toHaveCount(1);
  // The field empties for the next card.
  await expect(target.locator('[data-testid=quick-add]')).toHaveValue('');
  // A new card goes to the bottom of its column.
  const id = (await card.getAttribute('data-card'))!;
  await expect(target.locator('[data-testid=task-card]').last()).toHaveAttribute('data-card', id);
  return id;
}

/** Opens a card in the side panel by a tap on its title. */
async function openCard(page: Page, card: Locator, title: string | RegExp) {
  await card.locator('button.task-open [data-testid=card-title]').click();
  await expect(page.locator('[data-testid=card-panel] [data-testid=panel-title]')).toHaveText(title);
}

/** The ids of the cards in each column, in their order on screen. */
async function layout(page: Page): Promise<Record<string, string[]>> {
  return page.locator('[data-testid=board] [data-testid=column]').evaluateAll((columns) =>
    Object.fromEntries(
      columns.map((c) => [
        c.getAttribute('data-column') ?? '?',
        [...c.querySelectorAll('[data-testid=task-card]')].map((card) => card.getAttribute('data-card') ?? '?'),
      ]),
    ),
  );
}

/** The titles in `columnId`, in order, of the cards whose title contains `tag`. */
async function titlesIn(page: Page, columnId: string, tag: string): Promise<string[]> {
  const titles = await column(page, columnId).locator('[data-testid=task-card] [data-testid=card-title]').allTextContents();
  return titles.map((t) => t.trim()).filter((t) => t.includes(tag));
}

/** The browser's date `days` from today, as a date field wants it (YYYY-MM-DD). */
async function dateFromToday(page: Page, days: number): Promise<string> {
  return page.evaluate((days) => {
    const day = new Date();
    day.setDate(day.getDate() + days);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  }, days);
}

test("a desk and the manager's phone move the same card offline; after reconnecting there is one card, in one place, on both", async ({
  browser,
}) => {
  const id = unique();
  const desk = await open(browser, 'Front desk T1');
  const phone = await open(browser, 'Manager phone T1', PHONE);
  const title = `Call the lab about results ${id}`;
  const other = `Order gloves ${id}`;
  await openBoard(desk);
  await openBoard(phone);

  const cardId = await addCard(desk, 'todo', title);
  await addCard(desk, 'todo', other);
  // The phone sees both cards before anyone goes offline.
  await expect(cardWithId(phone.page, cardId)).toBeVisible({ timeout: SYNC });
  await expect(cardTitled(phone.page, other)).toBeVisible({ timeout: SYNC });
  await desk.expectAllSaved();
  await phone.expectAllSaved();

  for (const device of [desk, phone]) {
    await device.context.setOffline(true);
    await expect(device.status).toHaveText(/^Offline/);
  }

  // The desk moves the card to Doing with "Move to…", then renames it.
  await openCard(desk.page, cardWithId(desk.page, cardId), title);
  await desk.page.locator('[data-testid=move-column]').selectOption('doing');
  await expect(column(desk.page, 'doing').locator(`[data-card="${cardId}"]`)).toHaveCount(1);
  await expect(desk.page.locator('[data-testid=card-where]')).toHaveText(/· Doing$/);
  const renamed = `${title} — called`;
  await desk.page.locator('[data-testid=card-title-input]').fill(renamed);
  await desk.page.locator('[data-testid=card-save]').click();
  await expect(desk.page.locator('[data-testid=panel-title]')).toHaveText(renamed);
  await expect(cardWithId(desk.page, cardId).locator('[data-testid=card-title]')).toHaveText(renamed);

  // Meanwhile the phone moves the same card to Done, to the top of it, and comments.
  await openCard(phone.page, cardWithId(phone.page, cardId), title);
  await phone.page.locator('[data-testid=move-column]').selectOption('done');
  await expect(column(phone.page, 'done').locator(`[data-card="${cardId}"]`)).toHaveCount(1);
  await phone.page.locator('[data-testid=move-top]').click();
  await expect(column(phone.page, 'done').locator('[data-testid=task-card]').first()).toHaveAttribute('data-card', cardId);
  const comment = `Lab closed until Monday ${id}`;
  await phone.page.locator('[data-testid=comment-text]').fill(comment);
  await phone.page.locator('[data-testid=comment-add]').click();
  await expect(phone.page.locator('[data-testid=comments] [data-testid=comment]')).toHaveCount(1);
  await expect(phone.page.locator('[data-testid=comment-text]')).toHaveValue('');

  // Neither device has seen the other's changes.
  await expect(cardWithId(phone.page, cardId).locator('[data-testid=card-title]')).toHaveText(title);
  await expect(column(desk.page, 'done').locator(`[data-card="${cardId}"]`)).toHaveCount(0);

  for (const device of [desk, phone]) await device.context.setOffline(false);

  // Both converge without a reload: one copy of the card, in one column (whichever move
  // won, the same on both), every column in the same order, the new title and the comment.
  await expect(async () => {
    const [atDesk, onPhone] = await Promise.all([layout(desk.page), layout(phone.page)]);
    expect(onPhone).toEqual(atDesk);
    const where = Object.entries(atDesk).flatMap(([col, ids]) => ids.filter((c) => c === cardId).map(() => col));
    expect(where).toHaveLength(1);
    expect(['doing', 'done']).toContain(where[0]);
  }).toPass({ timeout: SYNC });
  for (const device of [desk, phone]) {
    await expect(cardWithId(device.page, cardId)).toHaveCount(1);
    await expect(cardWithId(device.page, cardId).locator('[data-testid=card-title]')).toHaveText(renamed, { timeout: SYNC });
    await expect(device.page.locator('[data-testid=panel-title]')).toHaveText(renamed, { timeout: SYNC });
    await expect(device.page.locator('[data-testid=comments] [data-testid=comment]')).toHaveCount(1, { timeout: SYNC });
    await expect(device.page.locator('[data-testid=comments] [data-testid=comment]')).toContainText(comment);
    // Only the desk changed the title: there is no second title to choose from.
    await expect(device.page.locator('[data-testid=other-titles]')).toHaveCount(0);
    await device.expectAllSaved();
  }
  // The panel says where the card ended up, the same on both.
  const whereAtDesk = await desk.page.locator('[data-testid=card-where]').textContent();
  await expect(phone.page.locator('[data-testid=card-where]')).toHaveText(whereAtDesk ?? '');
  await expect(cardTitled(desk.page, other)).toHaveCount(1);
  await expect(cardTitled(phone.page, other)).toHaveCount(1);
  // The card's own history, read from the board's changes: the desk's edits and the
  // phone's comment, each named by who was signed in and where.
  for (const device of [desk, phone]) {
    await device.page.getByRole('button', { name: 'Show changes' }).click();
    const changes = device.page.getByRole('list', { name: 'Changes' });
    await expect(changes).toContainText(`${OWNER.name} at Front desk T1`);
    await expect(changes).toContainText(`${OWNER.name} at Manager phone T1`);
  }
});

test('cards are added, moved with the keyboard-friendly controls and validated', async ({ browser }) => {
  const id = unique();
  const desk = await open(browser, 'Front desk T2');
  const page = desk.page;
  // The organisation's board, chosen with the board picker.
  await openBoard(desk, 'org');
  const todo = column(page, 'todo');
  const [a, b, c] = ['Renew the fire certificate', 'Check the first-aid kit', 'Book the window cleaner'].map(
    (t) => `${t} ${id}`,
  );
  for (const title of [a, b, c]) await addCard(desk, 'todo', title);
  await expect(async () => expect(await titlesIn(page, 'todo', id)).toEqual([a, b, c])).toPass();
  await expect(todo.locator('[data-testid=column-count]')).toHaveText(
    String(await todo.locator('[data-testid=task-card]').count()),
  );

  // The third card moves by the panel's buttons: each step is one card, Top and Bottom the
  // ends of the whole column (older cards of the board sit above these three).
  await openCard(page, cardTitled(page, c), c);
  await expect(page.locator('[data-testid=card-where]')).toHaveText('Whole organisation · To do');
  const steps: [string, string[]][] = [
    ['move-up', [a, c, b]],
    ['move-up', [c, a, b]],
    ['move-down', [a, c, b]],
    ['move-top', [c, a, b]],
    ['move-bottom', [a, b, c]],
  ];
  for (const [button, order] of steps) {
    await page.locator(`[data-testid=${button}]`).click();
    await expect(async () => expect(await titlesIn(page, 'todo', id)).toEqual(order), `after ${button}`).toPass();
    if (button === 'move-top') {
      await expect(todo.locator('[data-testid=card-title]').first()).toHaveText(c);
    }
    if (button === 'move-bottom') {
      await expect(todo.locator('[data-testid=card-title]').last()).toHaveText(c);
    }
  }
  const before = await layout(page);

  // An empty title, or only spaces, is named and adds nothing.
  for (const empty of ['', '   ']) {
    await todo.locator('[data-testid=quick-add]').fill(empty);
    await todo.locator('[data-testid=quick-add-button]').click();
    await expect(todo.locator('.quick-add')).toContainText('Enter a title');
  }
  // The card's form: a due date already passed is refused, and so is an empty title.
  await openCard(page, cardTitled(page, a), a);
  await page.locator('[data-testid=card-due-date]').fill(await dateFromToday(page, -1));
  await page.locator('[data-testid=card-save]').click();
  await expect(page.locator('[data-testid=card-error]')).toContainText('passed');
  await page.locator('[data-testid=card-due-date]').fill('');
  await page.locator('[data-testid=card-title-input]').fill('');
  await page.locator('[data-testid=card-save]').click();
  await expect(page.locator('[data-testid=card-error]')).toContainText('Enter a title');
  // A time without a day is named too.
  await page.locator('[data-testid=card-title-input]').fill(a);
  await page.locator('[data-testid=card-due-time]').fill('09:30');
  await page.locator('[data-testid=card-save]').click();
  await expect(page.locator('[data-testid=card-error]')).toContainText('due date');

  // Nothing of that reached the board: the same cards in the same places, no due date.
  expect(await layout(page)).toEqual(before);
  await expect(cardTitled(page, a).locator('[data-testid=card-title]')).toHaveText(a);
  await expect(cardTitled(page, a).locator('[data-testid=card-due]')).toHaveCount(0);
  await expect(page.locator('[data-testid=panel-title]')).toHaveText(a);
  await desk.expectAllSaved();
});

test('a recurring task makes today\'s card once, even on two devices', async ({ browser }) => {
  const id = unique();
  const deskA = await open(browser, 'Front desk T3A');
  const deskB = await open(browser, 'Front desk T3B');
  const title = `Empty the sharps bin ${id}`;
  const page = deskA.page;

  // Desk A writes a daily task starting today (the form's default start) on the site's board.
  await page.locator('[data-testid=nav-tasks]').click();
  await page.locator('[data-testid=tasks-recurring]').click();
  await expect(page.locator('[data-testid=board-picker]')).toHaveValue('site');
  const form = page.locator('[data-testid=recurring-card] [data-testid=template-form]');
  await form.locator('[data-testid=template-title]').fill(title);
  await form.locator('[data-testid=template-kind]').selectOption('daily');
  await expect(form.locator('[data-testid=template-start]')).toHaveValue(await dateFromToday(page, 0));
  await form.locator('[data-testid=template-save]').click();
  await expect(form.locator('[data-testid=template-error]')).toBeEmpty();
  await expect(page.locator('[data-testid=template]').filter({ hasText: title })).toHaveCount(1);

  // Both devices make today's card; the same id makes the two copies one card.
  for (const desk of [deskA, deskB]) {
    await openBoard(desk);
    await expect(cardTitled(desk.page, title)).toHaveCount(1, { timeout: SYNC });
  }
  for (const desk of [deskA, deskB]) {
    await desk.expectAllSaved();
    await expect(cardTitled(desk.page, title)).toHaveCount(1);
  }
  // Opened afresh, each device reads what both wrote: still one card.
  for (const desk of [deskA, deskB]) {
    await desk.reopen();
    await expect(desk.page.locator('[data-testid=nav-tasks]')).toBeVisible();
    await openBoard(desk);
    await expect(cardTitled(desk.page, title)).toHaveCount(1);
    await desk.expectAllSaved();
    await expect(cardTitled(desk.page, title)).toHaveCount(1);
  }
  const [onA, onB] = await Promise.all([layout(deskA.page), layout(deskB.page)]);
  expect(onB).toEqual(onA);
});

test('the due list on the phone shows overdue and due-today work across sites', async ({ browser }) => {
  const id = unique();
  const desk = await open(browser, 'Front desk T4');
  const phone = await open(browser, 'Manager phone T4', PHONE);
  const now = await desk.page.evaluate(() => {
    const d = new Date();
    return d.getHours() * 60 + d.getMinutes();
  });
  // 00:01 has to be past and 23:59 still to come, with a minute to spare for the run.
  test.skip(now < 3 || now > 23 * 60 + 55, 'too close to midnight for "earlier today" and "later today"');
  const today = await dateFromToday(desk.page, 0);
  const overdue = `Send the claim forms ${id}`;
  const later = `Lock the supply room ${id}`;

  /** Adds a card to the board in view and gives it a due date today at `time`. */
  const addDue = async (title: string, time: string) => {
    await addCard(desk, 'todo', title);
    await openCard(desk.page, cardTitled(desk.page, title), title);
    await desk.page.locator('[data-testid=card-due-date]').fill(today);
    await desk.page.locator('[data-testid=card-due-time]').fill(time);
    await desk.page.locator('[data-testid=card-save]').click();
    await expect(desk.page.locator('[data-testid=card-error]')).toBeEmpty();
    await expect(cardTitled(desk.page, title).locator('[data-testid=card-due]')).toContainText(time);
  };
  // One on the site's board, due this morning; one on the organisation's, due tonight.
  await openBoard(desk, 'site');
  await addDue(overdue, '00:01');
  await expect(cardTitled(desk.page, overdue).locator('[data-testid=card-due]')).toHaveClass(/overdue/);
  await openBoard(desk, 'org');
  await addDue(later, '23:59');
  await expect(cardTitled(desk.page, later).locator('[data-testid=card-due]')).not.toHaveClass(/overdue/);
  await desk.expectAllSaved();

  await phone.page.locator('[data-testid=nav-tasks]').click();
  await phone.page.locator('[data-testid=tasks-due]').click();
  const list = phone.page.locator('[data-testid=due-everywhere]');
  const row = (where: string, title: string) =>
    list.locator(`[data-testid=${where}] [data-testid=task-row]`).filter({ hasText: title });
  await expect(row('overdue', overdue)).toHaveCount(1, { timeout: SYNC });
  await expect(row('due-today', later)).toHaveCount(1, { timeout: SYNC });
  await expect(row('due-today', overdue)).toHaveCount(0);
  await expect(row('overdue', later)).toHaveCount(0);
  // Each row says which board it is on.
  await expect(row('overdue', overdue)).toContainText('Main site');
  await expect(row('due-today', later)).toContainText('Whole organisation');

  // A tap opens the card in the panel.
  await row('overdue', overdue).locator('button.task-open').click();
  await expect(phone.page.locator('[data-testid=panel-title]')).toHaveText(overdue);
  await expect(phone.page.locator('[data-testid=card-where]')).toHaveText(/· To do$/);
  await phone.expectAllSaved();
});

// The card panel is built again only when another card is chosen: a change to the board
// (another device's, or this desk's own checklist tick) must not empty what is typed and
// not yet saved.
test('what is typed in a card and not yet saved stays when another device changes the board', async ({
  browser,
}) => {
  const id = unique();
  const deskA = await open(browser, 'Front desk T5A');
  const deskB = await open(browser, 'Front desk T5B');
  const title = `Replace the printer toner ${id}`;
  await openBoard(deskA);
  await openBoard(deskB);
  await addCard(deskA, 'todo', title);
  await openCard(deskA.page, cardTitled(deskA.page, title), title);
  const page = deskA.page;
  await page.locator('[data-testid=card-description]').fill('Black cartridge, the office model');
  await page.locator('[data-testid=comment-text]').fill('Ordered on Friday');

  // Desk B adds a card to the same board; desk A receives it while the person types.
  const other = `Water the plants ${id}`;
  await addCard(deskB, 'todo', other);
  await expect(cardTitled(page, other)).toHaveCount(1, { timeout: SYNC });

  await expect(page.locator('[data-testid=card-description]')).toHaveValue('Black cartridge, the office model');
  await expect(page.locator('[data-testid=comment-text]')).toHaveValue('Ordered on Friday');
  // And saving then writes what was typed.
  await page.locator('[data-testid=card-save]').click();
  await expect(page.locator('[data-testid=card-error]')).toBeEmpty();
  await expect(deskB.page.locator('[data-testid=task-card]').filter({ hasText: title })).toHaveCount(1);
});

test('a no-show becomes a "call to rebook" card in one tap, and each opens the other', async ({ browser }) => {
  const id = unique();
  const desk = await open(browser, 'Front desk T6');
  const page = desk.page;
  const provider = `Dr Rowan Example ${id}`;
  const patient = `Sky Noshow ${id}`;
  await desk.addProvider(provider);

  // Yesterday's appointment, entered after the fact, then marked as a no-show.
  await desk.showDay(-1);
  await desk.fillBooking({ patient, phone: '+1 555 0142', days: -1, time: '09:00', minutes: 20, provider });
  await page.locator('input[name=back_entry]').check();
  await page.locator('[data-testid=book]').click();
  await desk.openAppointment(patient);
  await page.locator('[data-testid=detail] [data-testid=no-show]').click();
  await expect(page.locator('[data-testid=detail-status]')).toHaveText('No-show');

  // One tap makes the card and opens it on the site's board.
  await page.locator('[data-testid=task-rebook]').click();
  const panel = page.locator('[data-testid=card-panel]');
  await expect(panel.locator('[data-testid=panel-title]')).toHaveText(`Call ${patient} to rebook`);
  await expect(panel.locator('[data-testid=card-description]')).toHaveValue('Phone: +1 555 0142');
  await expect(cardTitled(page, `Call ${patient} to rebook`)).toHaveCount(1);

  // The card leads back to the appointment, and the appointment to its one card: a second
  // tap opens the same card rather than making another.
  await panel.locator('[data-testid=open-appointment]').click();
  await expect(page.locator('[data-testid=detail-patient]')).toHaveText(patient);
  await expect(page.locator('[data-testid=linked-task]')).toContainText(`Call ${patient} to rebook`);
  await page.locator('[data-testid=task-rebook]').click();
  await expect(panel.locator('[data-testid=panel-title]')).toHaveText(`Call ${patient} to rebook`);
  await openBoard(desk);
  await expect(cardTitled(page, `Call ${patient} to rebook`)).toHaveCount(1);

  // Archived, it leaves the board but not the document: the archived list brings it back.
  await cardTitled(page, `Call ${patient} to rebook`).locator('.task-open').click();
  await panel.locator('[data-testid=archive-card]').click();
  await expect(cardTitled(page, `Call ${patient} to rebook`)).toHaveCount(0);
  await page.locator('[data-testid=archived] summary').click();
  await page.locator('[data-testid=archived-card]').filter({ hasText: `Call ${patient} to rebook` }).click();
  await panel.locator('[data-testid=restore-card]').click();
  await expect(cardTitled(page, `Call ${patient} to rebook`)).toHaveCount(1);
  await desk.expectAllSaved();
});
