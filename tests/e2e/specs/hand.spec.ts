import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

import { Desk, PHONE, desksPerScenario } from './desk';

// Every main page, on the demo clinic, at a tablet's and a phone's size: what a person meets
// is measured, not hoped for. Axe-core finds no serious or critical violation, no element
// is wider than the screen and nothing scrolls sideways, no patient name is cut short in a
// block, and every touch target on Today, Calls, Tasks, Stock and Roster is at least 44×44 px.
// Each page's screenshot is kept in test-results/screens for a person to look at.

const open = desksPerScenario();

const TABLET = { viewport: { width: 1024, height: 768 }, hasTouch: true };

/** The main pages, by their navigation button's test id. */
const PAGES: [string, string][] = [
  ['today', 'nav-today'],
  ['patients', 'nav-patients'],
  ['calls', 'nav-calls'],
  ['takings', 'nav-takings'],
  ['conflicts', 'nav-conflicts'],
  ['waitlist', 'nav-waitlist'],
  ['tasks', 'nav-tasks'],
  ['stock', 'nav-stock'],
  ['roster', 'nav-roster'],
  ['sites', 'nav-sites'],
  ['reports', 'nav-reports'],
  ['budget', 'nav-budget'],
  ['vendors', 'nav-vendors'],
  ['staff-files', 'nav-staff-file'],
  ['incidents', 'nav-incidents'],
  ['audit', 'nav-audit'],
  ['settings', 'nav-settings'],
];

/** The pages whose touch targets are measured: the ones worked by touch all day. */
const TOUCHED = ['today', 'patients', 'calls', 'tasks', 'stock', 'roster'];

const SCREENS = path.join(__dirname, '..', 'test-results', 'screens');

type Look = {
  page: string;
  serious: string[];
  sideways: number;
  wide: string[];
  clipped: string[];
  smallest: { size: number; what: string } | null;
};

/** What one page looks like to a person: measured, and its screenshot kept. */
async function look(page: Page, name: string, size: string): Promise<Look> {
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = axe.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  const measured = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const visible = (e: Element) => {
      const r = e.getBoundingClientRect();
      const style = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
    };
    const describe = (e: Element) => {
      const label = e.getAttribute('aria-label') ?? e.getAttribute('data-testid') ?? e.textContent?.trim().slice(0, 30);
      return `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${label}"`;
    };
    // Wider than the screen, unless a container that fits the screen scrolls it (the day's
    // providers and the roster's days are swiped through); one that only cuts it off does
    // not count as scrolling.
    const scrolled = (e: Element) => {
      for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
        const overflow = getComputedStyle(up).overflowX;
        if (['auto', 'scroll'].includes(overflow) && up.getBoundingClientRect().width <= width + 1) return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => visible(e) && e.getBoundingClientRect().width > width + 1 && !scrolled(e))
      .map(describe);
    // A name cut off by its block: it sticks out of the block's right or bottom edge.
    const clipped = [...document.querySelectorAll('[data-testid=appointment] .patient')]
      .filter((e) => {
        const block = e.closest('.block-main');
        if (!block || !visible(e)) return false;
        const [r, b] = [e.getBoundingClientRect(), block.getBoundingClientRect()];
        return r.right > b.right + 1 || r.bottom > b.bottom + 1;
      })
      .map((e) => e.textContent ?? '');
    // A checkbox or radio is touched through its label.
    const targets = [...document.querySelectorAll('button, select, input, textarea, a[href], summary, [role=button]')]
      .filter((e) => !(e instanceof HTMLInputElement && e.type === 'hidden'))
      .map((e) => {
        const box = e instanceof HTMLInputElement && ['checkbox', 'radio'].includes(e.type) ? (e.closest('label') ?? e) : e;
        return [box, e] as const;
      })
      .filter(([box]) => visible(box));
    let smallest: { size: number; what: string } | null = null;
    for (const [box, e] of targets) {
      const r = box.getBoundingClientRect();
      const size = Math.round(Math.min(r.width, r.height));
      if (!smallest || size < smallest.size) smallest = { size, what: describe(e) };
    }
    return { sideways: document.documentElement.scrollWidth - width, wide: wide.slice(0, 5), clipped, smallest };
  });
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}-${size}.png`) });
  return { page: name, serious, ...measured };
}

async function demoClinic(browser: Browser, size: string, options: Parameters<typeof open>[2]): Promise<Desk> {
  const token = process.env.E2E_LOOK_TOKEN;
  if (!token) throw new Error('E2E_LOOK_TOKEN unset: run through playwright.config.ts');
  const desk = await open(browser, `Look ${size}`, options, token);
  const page = desk.page;
  await page.locator('[data-testid=nav-settings]').click();
  const fill = page.locator('[data-testid=demo-clinic]');
  if (await fill.isEnabled()) {
    await fill.click();
    await expect(fill).toBeDisabled();
  }
  return desk;
}

for (const [size, options] of [
  ['1024x768', TABLET],
  ['390x844', PHONE],
] as const) {
  test(`every main page at ${size}: no serious accessibility violation, nothing wider than the screen, touch targets of 44 px`, async ({
    browser,
  }) => {
    const desk = await demoClinic(browser, size, options);
    const page = desk.page;
    // The demo fills the week around today; on a weekend, the Friday before is a busy day.
    const weekday = new Date().getDay();
    const busy = weekday === 0 ? -2 : weekday === 6 ? -1 : 0;
    const looks: Look[] = [];
    for (const [name, nav] of PAGES) {
      await page.getByTestId(nav).click();
      if (name === 'today') {
        await desk.showDay(busy);
        await expect(page.locator('[data-testid=day-grid] [data-testid=appointment]').first()).toBeVisible();
      }
      await page.waitForLoadState('networkidle');
      looks.push(await look(page, name, size));
    }
    // The header's height, and on the phone the navigation's at the bottom (a figure for the
    // notes: the header scrolls away, the navigation stays).
    const bars = await page.evaluate(() => {
      const height = (selector: string) => Math.round(document.querySelector(selector)?.getBoundingClientRect().height ?? 0);
      const nav = document.querySelector('nav.tabs');
      const fixed = nav ? getComputedStyle(nav).position === 'fixed' : false;
      return { header: height('.top-bar'), nav: fixed ? height('nav.tabs') : 0 };
    });
    console.log(`${size} header ${bars.header} px (scrolls away)${bars.nav ? `, navigation at the bottom ${bars.nav} px` : ''}`);
    const report = looks
      .map((l) => {
        const target = l.smallest ? `${l.smallest.size} px (${l.smallest.what})` : 'none';
        return `${size} ${l.page}: ${l.serious.length} serious/critical; sideways ${l.sideways} px; ${l.wide.length} too wide; ${l.clipped.length} names clipped; smallest target ${target}`;
      })
      .join('\n');
    console.log(report);
    fs.writeFileSync(path.join(SCREENS, `report-${size}.txt`), `${report}\n${JSON.stringify(looks, null, 2)}\n`);
    for (const l of looks) {
      expect.soft(l.serious, `${l.page}: serious or critical axe-core violations`).toEqual([]);
      expect.soft(l.sideways, `${l.page}: the page scrolls sideways`).toBeLessThanOrEqual(0);
      expect.soft(l.wide, `${l.page}: elements wider than the screen`).toEqual([]);
      expect.soft(l.clipped, `${l.page}: patient names cut short`).toEqual([]);
      if (TOUCHED.includes(l.page)) {
        expect.soft(l.smallest?.size ?? 44, `${l.page}: the smallest touch target (${l.smallest?.what})`).toBeGreaterThanOrEqual(44);
      }
    }
  });
}

test('every time field reads 24-hour, whatever the browser locale', async ({ browser }) => {
  // en-US is a locale whose own time fields read "08:00 AM".
  const desk = await demoClinic(browser, 'clock', { ...TABLET, locale: 'en-US' });
  const page = desk.page;
  await page.getByTestId('nav-today').click();
  await page.getByRole('button', { name: 'New booking' }).click();
  const form = page.locator('form[data-testid=booking-form]');
  const start = form.getByLabel('Start', { exact: true });
  await expect(start).toHaveValue(/^\d{2}:\d{2}$/);
  await expect(page.locator('input[type=time], input[type=datetime-local]')).toHaveCount(0);
  // Typed the ways people type a time, read and shown as HH:MM once the field is left.
  for (const [typed, shown] of [
    ['2:30 pm', '14:30'],
    ['930', '09:30'],
    ['17.05', '17:05'],
  ]) {
    await start.fill(typed);
    await start.press('Tab');
    await expect(start).toHaveValue(shown);
  }
  // A time that cannot be is refused with how to type one, and nothing is booked.
  await form.locator('input[name=patient_name]').fill('Clock Sample');
  await start.fill('25:00');
  await form.getByRole('button', { name: 'Book', exact: true }).click();
  await expect(form.getByTestId('error-start')).toHaveText('Type the time as 24-hour HH:MM, for example 14:30.');
  await expect(start).toHaveAttribute('aria-invalid', 'true');
  await expect(desk.appointment('Clock Sample')).toHaveCount(0);
});

test("on the phone the manager's rounds come first, and the day starts on the first screen", async ({ browser }) => {
  const desk = await demoClinic(browser, 'rounds', PHONE);
  const page = desk.page;
  await page.getByTestId('nav-sites').click();
  const rounds = page.getByRole('navigation', { name: "The manager's rounds" });
  await expect(rounds).toBeInViewport();
  await expect(rounds.getByRole('button', { name: /^Clashes to resolve/ })).toBeVisible();

  await rounds.getByRole('button', { name: 'Cards falling due' }).click();
  await expect(page.getByTestId('tasks-due')).toHaveClass(/active/);
  await page.getByTestId('nav-sites').click();
  await rounds.getByRole('button', { name: 'Supplies expiring' }).click();
  await expect(page.getByTestId('stock-expiry')).toHaveClass(/active/);
  await page.getByTestId('nav-sites').click();
  await rounds.getByRole('button', { name: 'Who is working now' }).click();
  await expect(page.getByTestId('roster-now')).toHaveClass(/active/);
  // Asked for once: the next visit opens Tasks on its board, as before.
  await page.getByTestId('nav-tasks').click();
  await expect(page.getByTestId('tasks-board')).toHaveClass(/active/);

  // Today: the header and the day's controls leave room for the day itself on the first
  // screen (its first appointment was about 1,000 px down). The grid's top is measured, not
  // an appointment's, which depends on when the made-up day starts.
  await page.getByTestId('nav-today').click();
  const weekday = new Date().getDay();
  await desk.showDay(weekday === 0 ? -2 : weekday === 6 ? -1 : 0);
  await expect(page.locator('[data-testid=day-grid] [data-testid=appointment]').first()).toBeVisible();
  await page.evaluate(() => window.scrollTo(0, 0));
  const grid = page.locator('[data-testid=day-grid]');
  const top = await grid.evaluate((e) => Math.round(e.getBoundingClientRect().top + window.scrollY));
  const header = await page.locator('.top-bar').evaluate((e) => Math.round(e.getBoundingClientRect().height));
  console.log(`390x844 header ${header} px; the day's grid starts ${top} px from the top`);
  // At least 200 px of the day (40 minutes at the roomy scale) above the navigation.
  expect(top).toBeLessThan(844 - 64 - 200);
});
