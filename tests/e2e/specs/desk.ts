import * as fs from 'node:fs';

import { expect, test, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';

/** What global-setup.ts started: the relay's address and a token of organisation "e2e". */
export function relay(): { baseURL: string; token: string } {
  const baseURL = process.env.E2E_BASE_URL;
  const token = process.env.E2E_TOKEN;
  if (!baseURL || !token) throw new Error('E2E_BASE_URL/E2E_TOKEN unset: run through playwright.config.ts');
  return { baseURL, token };
}

/**
 * The organisation keys that go with `token` in a device's link, as a manager's device
 * makes it: organisation "demo" has its own.
 */
export function keysFor(token: string): string {
  const keys =
    token === process.env.E2E_DEMO_TOKEN
      ? process.env.E2E_DEMO_KEY
      : token === process.env.E2E_LOOK_TOKEN
        ? process.env.E2E_LOOK_KEY
        : token === process.env.E2E_YEAR_TOKEN
          ? process.env.E2E_YEAR_KEY
          : process.env.E2E_KEY;
  if (!keys) throw new Error('E2E_KEY/E2E_DEMO_KEY/E2E_LOOK_KEY/E2E_YEAR_KEY unset: run through playwright.config.ts');
  return keys;
}

/** Notes a patient name or phone number typed, for the scan of the relay's storage. */
export function noteTyped(...values: (string | undefined)[]) {
  const file = process.env.E2E_BOOKED;
  if (!file) throw new Error('E2E_BOOKED unset: run through playwright.config.ts');
  const typed = values.filter((v): v is string => !!v && v.trim().length >= 5);
  if (typed.length > 0) fs.appendFileSync(file, typed.map((v) => `${v}\n`).join(''));
}

/** Someone who signs in: a name on the lock screen and their PIN. */
export type Person = { name: string; pin: string };

/**
 * The owner every organisation of the suite starts with: the first device of an
 * organisation sets it up in this name (the lock screen offers that only while nobody
 * may sign in), and every later device signs in as them.
 */
export const OWNER: Person = { name: 'Avery Owner', pin: '482916' };

/** A short suffix that keeps names unique across scenarios sharing one organisation. */
export function unique(): string {
  return Math.random().toString(36).slice(2, 7);
}

export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 3,
  isMobile: true,
  hasTouch: true,
};

/** What a scenario books; `days` from today, tomorrow unless said. */
export type Booking = { patient: string; phone?: string; days?: number; time: string; minutes: number; provider: string };

/** One device: a browser context with its page and everything its console said. */
export class Desk {
  readonly logs: string[] = [];
  /** Uncaught errors of the page: a scenario fails if there are any. */
  readonly pageErrors: string[] = [];

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
  ) {
    page.on('console', (message) => this.logs.push(`[${name}] console.${message.type()}: ${message.text()}`));
    page.on('pageerror', (error) => {
      this.logs.push(`[${name}] page error: ${error.message}`);
      this.pageErrors.push(error.message);
    });
    page.on('requestfailed', (request) => {
      const url = new URL(request.url());
      this.logs.push(`[${name}] request failed: ${url.pathname} ${request.failure()?.errorText ?? ''}`);
    });
  }

  /**
   * Opens the app through the access link and names the device, as a person does on a
   * new tablet: the token is taken from the link and removed from the address.
   */
  static async open(
    browser: Browser,
    name: string,
    options: Parameters<Browser['newContext']>[0] = {},
    token: string = relay().token,
    /**
     * The link opened (a manager's device makes it), whether the owner then signs in, and
     * a moment the device's clock stands still at (its timers still run).
     */
    how: { link?: string; signIn?: boolean; clock?: Date } = {},
  ) {
    const context = await browser.newContext(options);
    const desk = new Desk(name, context, await context.newPage());
    const page = desk.page;
    if (how.clock) await page.clock.setFixedTime(how.clock);
    await page.goto(how.link ?? `/#token=${token}&key=${keysFor(token)}`);

    const deviceName = page.locator('input[name=device_name]');
    await expect(deviceName).toBeVisible();
    await expect(page.locator('input[name=token]')).toHaveCount(0);
    await expect.poll(() => page.url(), { message: 'the token and keys stay out of the address bar' }).not.toContain('token=');
    expect(page.url()).not.toContain('key=');
    await deviceName.fill(name);
    await page.locator('[data-testid=setup-submit]').click();
    if (how.signIn === false) return desk;
    await desk.signIn();
    expect(page.url()).not.toContain('token=');
    await desk.showTomorrow();
    return desk;
  }

  /**
   * Signs `person` in on the lock screen, as a person does: one touch on their name, then
   * the PIN. On an organisation nobody has set up yet, the owner sets it up first.
   */
  async signIn(person: Person = OWNER) {
    const page = this.page;
    await expect(page.getByTestId('lock-screen')).toBeVisible();
    const firstOwner = page.getByTestId('first-owner');
    const name = page.getByRole('button', { name: person.name, exact: true });
    await expect(firstOwner.or(name)).toBeVisible({ timeout: 20_000 });
    if (await firstOwner.isVisible()) {
      expect(person, 'an organisation is set up by its owner').toBe(OWNER);
      await page.getByLabel('Your name').fill(person.name);
      await page.getByLabel('Choose a PIN').fill(person.pin);
      await page.getByLabel('The same PIN again').fill(person.pin);
      await page.getByRole('button', { name: 'Start as owner' }).click();
    } else {
      await name.click();
      await page.getByLabel('PIN', { exact: true }).fill(person.pin);
      await page.getByRole('button', { name: 'Sign in' }).click();
    }
    await expect(page.locator('[data-testid=nav-today]')).toBeVisible();
    await expect(page.getByTestId('signed-in')).toContainText(person.name);
  }

  /** Opens the app again, as after a restart: it opens locked, and `person` signs in. */
  async reopen(person: Person = OWNER) {
    await this.page.reload();
    await this.signIn(person);
  }

  /**
   * Scenarios book tomorrow, so that they never meet the rule that a start in the past is
   * a deliberate back-entry, whatever the hour the suite runs at.
   */
  async showTomorrow() {
    const title = this.page.locator('[data-testid=day-title]');
    await this.page.locator('button[aria-label="Go to today"]').click();
    await expect(title).toContainText('Today');
    await this.page.locator('button[aria-label="Next day"]').click();
    await expect(title).not.toContainText('Today');
  }

  /**
   * Waits until the service worker is installed and active, then reloads once so that it
   * controls this page (a page is only controlled by a worker that was active when it loaded).
   */
  async takeOverByServiceWorker() {
    const page = this.page;
    await page.evaluate(
      () =>
        Promise.race([
          navigator.serviceWorker.ready,
          new Promise((_, reject) => setTimeout(() => reject(new Error('no active service worker after 20 s')), 20_000)),
        ]).then(() => undefined),
    );
    await this.reopen();
    await this.showTomorrow();
    await expect
      .poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), {
        message: 'the service worker controls the page after a reload',
      })
      .toBe(true);
  }

  /** Shows the day `days` from today. */
  async showDay(days: number) {
    const date = (await this.dayAt(days, '00:00')).slice(0, 10);
    await this.page.locator('[data-testid=nav-today]').click();
    await this.page.locator('input[aria-label="Go to a day"]').fill(date);
    await expect(this.page.locator('input[aria-label="Go to a day"]')).toHaveValue(date);
  }

  /** Shows `site`, once this device has heard of it. */
  async chooseSite(site: string) {
    const picker = this.page.locator('[data-testid=site-picker]');
    await expect(picker).toContainText(site, { timeout: 20_000 });
    await picker.selectOption({ label: site });
    await expect(this.page.locator('[data-testid=site-picker] option:checked')).toHaveText(site);
  }

  /** Adds a site in Settings; the device goes on showing the site it showed. */
  async addSite(site: string) {
    await this.page.locator('[data-testid=nav-settings]').click();
    await this.page.locator('[data-testid=site-name]').fill(site);
    await this.page.locator('[data-testid=add-site]').click();
    await expect(this.page.locator('[data-testid=site]').filter({ hasText: site })).toBeVisible();
  }

  /** Opens an appointment of the day in view in the side panel. */
  async openAppointment(patient: string) {
    await this.appointment(patient).locator('.block-main').click();
    await expect(this.page.locator('[data-testid=detail-patient]')).toHaveText(patient);
  }

  get status(): Locator {
    return this.page.locator('[data-testid=sync-status]');
  }

  async expectAllSaved() {
    await expect(this.status).toHaveText(/Online · all saved/);
  }

  async expectWaiting(edits: number) {
    const noun = edits === 1 ? 'edit' : 'edits';
    await expect(this.status).toHaveText(new RegExp(`Offline · ${edits} ${noun} waiting`));
  }

  async addProvider(name: string) {
    await this.page.locator('[data-testid=nav-settings]').click();
    await this.page.locator('input[name=provider_name]').fill(name);
    await this.page.locator('[data-testid=add-provider]').click();
    await expect(this.page.locator('[data-testid=provider]').filter({ hasText: name })).toBeVisible();
    await this.page.locator('[data-testid=nav-today]').click();
    await expect(this.page.getByRole('button', { name: 'New booking' })).toBeVisible();
  }

  /**
   * The date `days` from today (1: tomorrow) at `time` (HH:MM), in the browser's own time
   * zone, as `YYYY-MM-DDTHH:MM`.
   */
  async dayAt(days: number, time: string): Promise<string> {
    const date = await this.page.evaluate((days) => {
      const now = new Date();
      now.setDate(now.getDate() + days);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
    }, days);
    return `${date}T${time}`;
  }

  async fillBooking(booking: Booking) {
    const form = this.page.locator('form[data-testid=booking-form]');
    // The form opens when needed; a chosen appointment's panel gives way to it.
    if (!(await form.isVisible()) || (await form.getByRole('heading', { name: 'Change the appointment' }).isVisible())) {
      await this.page.getByRole('button', { name: 'New booking' }).click();
    }
    await expect(form.getByRole('heading', { name: 'Book an appointment' })).toBeVisible();
    noteTyped(booking.patient, booking.phone);
    await form.locator('input[name=patient_name]').fill(booking.patient);
    await form.locator('input[name=phone]').fill(booking.phone ?? '');
    // The day from the date picker, the time typed as 24-hour text.
    const [day, time] = (await this.dayAt(booking.days ?? 1, booking.time)).split('T');
    await form.getByLabel('Day', { exact: true }).fill(day);
    await form.getByLabel('Start', { exact: true }).fill(time);
    await form.locator('input[name=duration_minutes]').fill(String(booking.minutes));
    await form.locator('select[name=provider]').selectOption({ label: booking.provider });
  }

  async book(booking: Booking) {
    await this.fillBooking(booking);
    await this.page.locator('[data-testid=book]').click();
    await expect(this.appointment(booking.patient)).toBeVisible();
  }

  /** Answers the question the app asks before a likely slip, with the button named `name`. */
  async answer(name: string) {
    const question = this.page.getByRole('alertdialog');
    await expect(question).toBeVisible();
    await question.getByRole('button', { name }).click();
    await expect(question).toBeHidden();
  }

  appointment(patient: string): Locator {
    return this.page.locator('[data-testid=appointment]').filter({ hasText: patient });
  }

  async close() {
    await this.context.close();
  }
}

/**
 * Days from today to the next working day (Monday to Friday), at least 1: providers work
 * weekdays, so a booking there is not outside hours.
 */
export function nextWeekday(): number {
  const day = new Date();
  for (let days = 1; ; days++) {
    day.setDate(day.getDate() + 1);
    if (day.getDay() !== 0 && day.getDay() !== 6) return days;
  }
}

/** Prints what the desks' consoles said, for a failed scenario. */
export function dumpLogs(desks: Desk[]) {
  for (const desk of desks) {
    for (const line of desk.logs) console.log(line);
  }
}

/**
 * For a spec file: registers the hooks that close every desk a scenario opened, print their
 * consoles when it failed, and fail it on any uncaught page error; returns the `open` its
 * scenarios use.
 */
export function desksPerScenario(): (...args: Parameters<typeof Desk.open>) => Promise<Desk> {
  let desks: Desk[] = [];
  test.beforeEach(() => {
    desks = [];
  });
  test.afterEach(async ({}, testInfo) => {
    if (testInfo.status !== testInfo.expectedStatus) dumpLogs(desks);
    await Promise.all(desks.map((desk) => desk.close()));
    // Whatever the scenario checked, the app must not have thrown along the way.
    for (const desk of desks) expect(desk.pageErrors, `uncaught errors on ${desk.name}`).toEqual([]);
  });
  return async (...args) => {
    const desk = await Desk.open(...args);
    desks.push(desk);
    return desk;
  };
}
