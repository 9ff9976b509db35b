/**
 * The local workspace in a real browser: `npm start` with no Slack credentials (its own
 * command line from package.json, a new DATA_DIR, the embedded database), driven in headless
 * Chromium by playwright-core as a person would — typing `/kh …`, filling modals, clicking
 * in DMs. The screenshots in docs/screenshots/ for the README are taken here.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zh } from '../helpers/copy.js';
import {
  buildIfStale,
  newDataDir,
  ROOT,
  type Run,
  randomPort,
  removeDataDirs,
  run,
  waitForOutput,
} from '../helpers/processes.js';

/** Debian's chromium (installed by .ci/run); playwright-core never downloads a browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = path.join(ROOT, 'docs', 'screenshots');

const SALES_1 = 'UDEMOSALES1'; // 销售 王磊, 销售一部
const SALES_2 = 'UDEMOSALES2'; // 销售 李娜, 销售一部
const HEAD_1 = 'UDEMOHEAD1'; // 销售一部负责人 孙斌
const ARCHIVIST = 'UDEMOARCH1'; // 档案管理 刘洋
const SERVICE = 'UDEMOSERV1'; // 客服 陈静

let bot: Run;
let url: string;
let browser: Browser;

beforeAll(async () => {
  buildIfStale();
  bot = run('start', [], { DATA_DIR: newDataDir(), PORT: String(randomPort()) });
  await waitForOutput(bot, /local workspace: http:\/\/\S+/, 90_000);
  url = /local workspace: (http:\/\/\S+)/.exec(bot.output())?.[1] ?? '';
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  bot?.child.kill('SIGTERM');
  await bot?.exited;
  removeDataDirs();
});

/** The page as this person, in their DM with the bot (or a channel, or 'home'). */
async function open(person: string, place = 'dm'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
  await page.goto(`${url}?as=${person}&in=${place}`);
  await page.locator('body[data-ready="true"]').waitFor();
  return page;
}

async function kh(page: Page, text: string): Promise<void> {
  await page.locator('#composer').fill(`/kh ${text}`);
  await page.locator('#composer').press('Enter');
}

/** The last message in view holding this text. */
function message(page: Page, text: string | RegExp) {
  return page.locator('#messages .message').filter({ hasText: text }).last();
}

const modal = (page: Page) => page.locator('#modal-backdrop:not([hidden]) #modal');

let serial = 0;

/** Registers a customer through `/kh new`'s modal, as this page's person; returns its code. */
async function register(page: Page, name: string): Promise<string> {
  serial++;
  await kh(page, 'new');
  const form = modal(page);
  await form.waitFor();
  const field = (block: string) => form.locator(`[data-block-id="${block}"] [data-action-id]`).first();
  await field('name').fill(name);
  await field('kind').selectOption({ label: zh('kind.dealer') });
  await field('legalRepresentative').fill('张三');
  await field('address').fill('杭州市西湖区文三路 1 号');
  await field('postalCode').fill('310000');
  await field('phone').fill(`0571-8${String(serial).padStart(7, '0')}`);
  await page.locator('#modal-submit').click();
  // The form is replaced by its confirmation, which names the new customer's code.
  const confirmation = form.filter({ hasText: /KH-\d{4}-\d{4}/ });
  await confirmation.waitFor();
  const code = /KH-\d{4}-\d{4}/.exec((await confirmation.textContent()) ?? '')?.[0] ?? '';
  await page.locator('#modal-close').click();
  await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });
  return code;
}

describe('the local workspace (npm start without Slack credentials)', () => {
  it('INFO-4: a salesperson registers a customer through the modal and finds it', async () => {
    const page = await open(SALES_1);
    const code = await register(page, '杭州西溪浏览器测试贸易有限公司');
    expect(code).toMatch(/^KH-\d{4}-\d{4}$/);

    await kh(page, 'find 西溪浏览器');
    const found = message(page, code);
    await found.waitFor();
    expect(await found.textContent()).toContain('杭州西溪浏览器测试贸易有限公司');

    await kh(page, `show ${code}`);
    const card = message(page, '杭州市西湖区文三路 1 号');
    await card.waitFor();
    await card.screenshot({ path: path.join(SCREENSHOTS, 'customer-card.png'), animations: 'disabled' });
    await page.close();
  });

  it('INFO-18: a view request is approved by clicks in the approvers’ DMs, and the requester’s thread shows the outcome', async () => {
    const owner = await open(SALES_2);
    const code = await register(owner, '宁波东钱湖浏览器审批电子科技有限公司');
    await owner.close();

    const requester = await open(SALES_1);
    await kh(requester, `request view ${code}`);
    const form = modal(requester);
    await form.waitFor();
    await form.locator('[data-block-id="purpose"] [data-action-id]').first().fill('拜访前了解客户');
    await form.locator('[data-block-id="reason"] [data-action-id]').first().fill('下周与客户洽谈续约');
    await form.locator('[data-block-id="requesterProfile"] [data-action-id]').first().fill('王磊，销售一部，销售');
    await requester.locator('#modal-submit').click();
    await form.filter({ hasText: /SQ-\d{4}-\d{4}/ }).waitFor();
    const request = /SQ-\d{4}-\d{4}/.exec((await form.textContent()) ?? '')?.[0] ?? '';
    await requester.locator('#modal-close').click();

    // Each approver in turn: the department head, then the archivist (a 秘密 customer).
    for (const [approver, shot] of [
      [HEAD_1, 'approval-dm.png'],
      [ARCHIVIST, undefined],
    ] as const) {
      const page = await open(approver);
      const dm = message(page, request);
      await dm.waitFor();
      if (shot) await page.screenshot({ path: path.join(SCREENSHOTS, shot), animations: 'disabled' });
      await dm.getByRole('button', { name: zh('request.approve') }).click();
      // The approver's own message is updated in place: no button left to click twice.
      await page
        .locator('#messages .message')
        .filter({ hasText: request })
        .getByRole('button', { name: zh('request.approve') })
        .waitFor({ state: 'detached' });
      await page.close();
    }

    // The outcome arrives live in the requester's open page, in the request's thread.
    const approved =
      zh('request.thread_approved_view', { code: request, customer: code, until: '@' }).split('@')[0] ?? '';
    await requester.locator('#messages .thread .message').filter({ hasText: approved.trim() }).waitFor();
    await kh(requester, `show ${code}`);
    await message(requester, '宁波东钱湖浏览器审批电子科技有限公司').filter({ hasText: code }).waitFor();
    await requester.close();
  });

  it('bad input gets an ephemeral error only its sender sees, and a form’s errors beside its fields', async () => {
    const page = await open(SALES_1, 'CLOCALGENERAL');
    await kh(page, 'show KH-2099-9999');
    const error = message(page, zh('error.customer_not_found', { code: 'KH-2099-9999' }));
    await error.waitFor();
    expect(await error.locator('.only-you').count()).toBe(1);

    // A form sent incomplete keeps its modal open, each problem beside its field.
    await kh(page, 'new');
    await modal(page).waitFor();
    await page.locator('#modal-submit').click();
    const nameError = modal(page).locator('[data-block-id="name"] .blk-error');
    await nameError.waitFor();
    expect(await nameError.textContent()).toBe(zh('fieldError.required'));
    await page.locator('#modal-close').click();
    await page.locator('#modal-backdrop').waitFor({ state: 'hidden' });

    const other = await open(SALES_2, 'CLOCALGENERAL');
    await other.locator('#messages').waitFor();
    expect(await other.locator('#messages').textContent()).not.toContain('KH-2099-9999');
    await other.close();
    await page.close();
  });

  it('the App Home tab is rendered from the view the bot publishes', async () => {
    const page = await open(SALES_1, 'home');
    await page.locator('#home [data-block-id]').first().waitFor();
    expect(await page.locator('#home').textContent()).not.toBe('');
    await page.screenshot({ path: path.join(SCREENSHOTS, 'home.png'), animations: 'disabled' });
    await page.close();
  });

  it('STAT-4: a file the bot sends is offered for download, and a file chosen in a modal reaches the bot', async () => {
    const page = await open(SERVICE);
    await kh(page, 'import sales template');
    const file = page.locator('#messages .files a').first();
    await file.waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), file.click()]);
    const template = readFileSync((await download.path()) ?? '', 'utf8');
    expect(template.replace(/^\uFEFF/, '').split(/\r?\n/)[0]).toContain('客户编号');

    await kh(page, 'import sales');
    const form = modal(page);
    await form.waitFor();
    await form.locator('input[type="file"]').setInputFiles({
      name: 'bad.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('客户编号,月份,销售额\nKH-2026-0001,2026-10,abc\n'),
    });
    // The upload is stored before the form is sent, as in Slack.
    await form.locator('input[type="file"][data-files]').waitFor({ state: 'attached' });
    await page.locator('#modal-submit').click();
    // The bot fetched the file with its token and read it: its problem is named by row.
    await form.filter({ hasText: zh('sales.rejected', { count: 1 }) }).waitFor();
    await page.close();
  });

  it('a job fired from the page posts where the bot posts (the audit witness, in #archive)', async () => {
    const page = await open(ARCHIVIST, 'CLOCALARCHIVE');
    const before = await page.locator('#messages .message').count();
    await page.locator('#job').selectOption('audit-witness');
    await page.locator('#job-run').click();
    await page.locator('#job-result').filter({ hasText: '"status":"done"' }).waitFor();
    await page.locator('#messages .message').nth(before).waitFor();
    expect(await page.locator('#messages .message').count()).toBe(before + 1);
    await page.close();
  });
});
