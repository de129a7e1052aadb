// The search page in a real browser: Debian's headless Chromium driven by playwright-core.
// Indexes the bundled corpus, starts the real lupa-searchd on a free loopback port, and does
// what a person does: types a query, ticks two agencies, pages, goes back, opens a passage and
// its translation, switches the language, downloads the CSV. Each step saves a screenshot in
// $LUPA_SCREENSHOTS. Run by ctest (tests/CMakeLists.txt) with node's own test runner.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const binDir = process.env.LUPA_BIN_DIR;
const sourceDir = process.env.LUPA_SOURCE_DIR;
const screenshots = process.env.LUPA_SCREENSHOTS;
const ocrCache = process.env.LUPA_TEST_OCR_CACHE;
assert.ok(binDir && sourceDir && screenshots, 'LUPA_BIN_DIR, LUPA_SOURCE_DIR and LUPA_SCREENSHOTS must be set');

let work, daemon, base, browser, page;

function startDaemon(database) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(binDir, 'lupa-searchd'),
      ['--db', database, '--port', '0', '--corpus', path.join(sourceDir, 'corpus')]);
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const found = output.match(/on (http:\/\/127\.0\.0\.1:\d+)\//);
      if (found) resolve({ child, url: found[1] });
    });
    child.on('exit', (code) => reject(new Error(`lupa-searchd exited with ${code}: ${output}`)));
  });
}

async function api(pathAndQuery) {
  const answer = await fetch(base + pathAndQuery);
  assert.equal(answer.status, 200, pathAndQuery);
  return answer.json();
}

async function shot(name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: false });
}

const shownTotal = async () => Number(await page.textContent('#total'));

before(async () => {
  mkdirSync(screenshots, { recursive: true });
  work = mkdtempSync(path.join(tmpdir(), 'lupa-browser-'));
  const database = path.join(work, 'index');
  const indexing = spawnSync(path.join(binDir, 'lupa-indexer'),
    ['--quiet', ...(ocrCache ? ['--ocr-cache', ocrCache] : []), '--db', database,
     path.join(sourceDir, 'corpus')], { encoding: 'utf8' });
  assert.equal(indexing.status, 0, indexing.stderr);
  ({ child: daemon, url: base } = await startDaemon(database));
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ locale: 'en-GB', acceptDownloads: true });
  page = await context.newPage();
});

after(async () => {
  await browser?.close();
  daemon?.kill('SIGTERM');
  if (work) rmSync(work, { recursive: true, force: true });
});

test('typing a query, ticking two agencies, paging and going back', async () => {
  await page.goto(base + '/');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');  // from Accept-Language
  await page.fill('#q', 'transparencia');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  const everything = await shownTotal();
  assert.equal(everything, (await api('/api/search?q=transparencia&facets=false')).total);
  await shot('1-query');

  await page.check('#f-agency-mx-sfp');
  await page.check('#f-agency-mx-shcp');
  await Promise.all([page.waitForNavigation(), page.click('aside button[type=submit]')]);
  const two = await shownTotal();
  const expected = await api('/api/search?q=transparencia&agency=mx-sfp&agency=mx-shcp');
  assert.equal(two, expected.total);
  assert.ok(two < everything);
  assert.ok(await page.isChecked('#f-agency-mx-sfp'));
  assert.ok(await page.isChecked('#f-agency-mx-shcp'));
  const firstHit = await page.getAttribute('.hit h2 a', 'href');
  assert.ok(firstHit.includes(expected.hits[0].id));
  await shot('2-two-agencies');

  await page.goto(base + '/?ui=en&q=gobierno');
  await Promise.all([page.waitForNavigation(), page.click('a[rel=next]')]);
  assert.equal(await page.getAttribute('ol.hits', 'start'), '11');
  assert.ok(page.url().includes('page=2'));
  await shot('3-page-two');
  await page.goBack();
  assert.equal(await page.getAttribute('ol.hits', 'start'), '1');
});

test('opening a passage and its translation, and switching the language', async () => {
  await page.goto(base + '/?ui=es&q=' + encodeURIComponent('información socialmente útil'));
  await Promise.all([page.waitForNavigation(), page.click('.hit h2 a')]);
  assert.match(page.url(), /\/passages\/corpus\.mx-2011-action-plan-es-en-txt\.0025/);
  assert.match(await page.textContent('article.passage'), /información socialmente útil/);
  await shot('4-passage');
  await Promise.all([page.waitForNavigation(), page.click('section.translation a')]);
  assert.match(await page.textContent('article.passage'), /socially useful information/);
  await shot('5-translation');

  await page.goto(base + '/?ui=es&q=agua');
  assert.equal(await page.textContent('form button[type=submit]'), 'Buscar');
  await Promise.all([page.waitForNavigation(), page.click('header .ui a')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.textContent('form button[type=submit]'), 'Search');
  await shot('6-english');
});

test('downloading every result as CSV', async () => {
  await page.goto(base + '/?ui=en&q=gobierno');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.export a:has-text("CSV")')]);
  const file = path.join(work, 'export.csv');
  await download.saveAs(file);
  const csv = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const rows = csv.split('\r\n').filter((line) => line.startsWith('corpus.'));
  const expected = await api('/api/search?q=gobierno&facets=false&per_page=1');
  assert.equal(rows.length, expected.total);
  assert.ok(csv.startsWith('id,doc,title,'));
  assert.ok(rows[0].startsWith(expected.hits[0].id + ','));
  await shot('7-after-download');
});

test('readable on a phone-sized screen, usable from the keyboard', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + '/?ui=es&q=transparencia');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await shot('8-phone');
  // Tab from the top: the skip link first, then the language switch, then the search box.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'q');
  await page.setViewportSize({ width: 1280, height: 720 });
});

test('"show all" reveals a value beyond the 15th, and filtering by it works', async () => {
  await page.goto(base + '/?ui=en&q=transparencia');
  const agencies = (await api('/api/search?q=transparencia')).facets.agency;
  assert.ok(agencies.length > 15);
  assert.equal(await page.locator('#facet-agency input[type=checkbox]').count(), 15);
  assert.equal(await page.textContent('#facet-agency .shown-of'), `15 of ${agencies.length} shown`);
  await Promise.all([page.waitForNavigation(), page.click('#facet-agency a.show-all')]);
  assert.equal(await page.locator('#facet-agency input[type=checkbox]').count(), agencies.length);
  const last = agencies[agencies.length - 1];
  await page.check(`[id="f-agency-${last.value}"]`);
  await shot('9-show-all');
  await Promise.all([page.waitForNavigation(), page.click('aside button[type=submit]')]);
  assert.equal(await shownTotal(), last.count);
  assert.ok(await page.isChecked(`[id="f-agency-${last.value}"]`));
  // The same value through the filter box, without opening the list.
  await page.goto(base + '/?ui=en&q=transparencia');
  await page.fill('#box-agency', last.value);
  await Promise.all([page.waitForNavigation(), page.click('aside button[type=submit]')]);
  assert.equal(await shownTotal(), last.count);
});

test('clearing the filters keeps the words', async () => {
  await page.goto(base + '/?ui=en&q=transparencia&agency=mx-sfp&lang=es');
  const filtered = await shownTotal();
  await Promise.all([page.waitForNavigation(), page.click('#clear-filters')]);
  assert.equal(await page.inputValue('#q'), 'transparencia');
  assert.ok(!page.url().includes('agency='));
  assert.equal(await shownTotal(), (await api('/api/search?q=transparencia&facets=false')).total);
  assert.ok(filtered < await shownTotal());
  await shot('10-cleared');
});

test('a filter without a panel of its own survives the next search', async () => {
  await page.goto(base + '/?ui=en&q=transparencia&kind=commitment');
  assert.ok(await page.isChecked('#f-kind-commitment'));
  await page.fill('#q', 'gobierno');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  assert.ok(page.url().includes('kind=commitment'));
  assert.ok(await page.isChecked('#f-kind-commitment'));
  assert.equal(await shownTotal(),
    (await api('/api/search?q=gobierno&kind=commitment&facets=false')).total);
});

test('a passage opened from a result marks the query words, and "back" returns to the results', async () => {
  const query = 'información socialmente útil';
  await page.goto(base + '/?ui=en&lang=es&q=' + encodeURIComponent(query));
  const results = page.url();
  const firstId = await page.getAttribute('.hit h2 a', 'href');
  await Promise.all([page.waitForNavigation(), page.click('.hit h2 a')]);
  const marked = await page.locator('article.passage mark').allTextContents();
  assert.ok(marked.includes('socialmente') && marked.includes('útil'), marked.join(','));
  assert.ok((await page.locator('section.translation mark').count()) > 0);
  assert.match(await page.textContent('.citation'), /corpus\.mx-2011-action-plan-es-en-txt\.0025/);
  await shot('11-passage-marked');
  await Promise.all([page.waitForNavigation(), page.click('#back')]);
  const parameters = (url) => [...new URL(url).searchParams].map(([k, v]) => `${k}=${v}`).sort();
  assert.deepEqual(parameters(page.url()), parameters(results));
  assert.equal(await page.inputValue('#q'), query);
  assert.ok(await page.isChecked('#f-lang-es'));
  assert.equal(await page.getAttribute('.hit h2 a', 'href'), firstId);
});

test('the link to the original file opens it', async () => {
  await page.goto(base + '/passages/corpus.mx-2011-action-plan-es-en-txt.0025?ui=en');
  const [response] = await Promise.all([page.waitForNavigation(), page.click('#original')]);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['content-type'], 'text/plain; charset=utf-8');
  assert.match(await page.textContent('body'), /Increasing Public Integrity/);
  await shot('12-original');
});

test('choosing newest first in the sort changes the order, and the choice is kept', async () => {
  await page.goto(base + '/?ui=en&q=transparencia');
  const links = () => page.$$eval('.hit h2 a', (all) => all.map((a) => a.getAttribute('href')));
  const byRelevance = await links();
  assert.equal(await page.inputValue('#sort'), 'relevance');
  await page.selectOption('#sort', 'newest');
  await Promise.all([page.waitForNavigation(), page.click('form p.box button[type=submit]')]);
  assert.ok(page.url().includes('sort=newest'));
  assert.equal(await page.inputValue('#sort'), 'newest');
  const byDate = await links();
  assert.notDeepEqual(byDate, byRelevance);
  const expected = await api('/api/search?q=transparencia&sort=newest&facets=false');
  assert.ok(byDate[0].includes(expected.hits[0].id));
  // Each hit shows its date; a period ("2019/2021") is placed at its start.
  const firstDays = (await page.$$eval('.hit .where .date', (all) => all.map((t) => t.textContent)))
    .map((date) => date.split('/')[0])
    .map((start) => (start + '-01-01').slice(0, 10));
  assert.equal(firstDays.length, byDate.length);
  assert.deepEqual(firstDays, [...firstDays].sort().reverse());
  await shot('13-newest-first');
});

test('asking about an agency, clicking its chip and reading its page', async () => {
  await page.goto(base + '/?ui=en');
  await page.fill('#q', 'qué se comprometió la SFP');
  await Promise.all([page.waitForNavigation(), page.press('#q', 'Enter')]);
  const understood = await page.textContent('p.understood');
  assert.match(understood, /Ministry of Public Administration/);
  await Promise.all([page.waitForNavigation(),
    page.click('article.hit a.chip.agency[href^="/agencies/mx-sfp"]')]);
  assert.equal(new URL(page.url()).pathname, '/agencies/mx-sfp');
  assert.match(await page.textContent('h1'), /Ministry of Public Administration/);
  const expected = await api('/api/agencies/mx-sfp');
  assert.equal(Number(await page.textContent('#agency-commitments')), expected.commitments);
  assert.equal(await page.locator('section.plan').count(), expected.plans.length);
  await shot('14-agency-page');
  await Promise.all([page.waitForNavigation(), page.click('li.commitment.lead a[href^="/passages/"] >> nth=0')]);
  assert.match(new URL(page.url()).pathname, /^\/passages\//);
});
