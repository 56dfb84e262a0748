// The page in real headless Chromium: the exported file opened from disk, and the
// page served live. BACKPROP_PAGE is the exported file, BACKPROP_URL the server's
// address (scripts/browser-tests sets both). Screenshots go to test-artifacts/browser.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { pathToFileURL } = require('node:url');
const { launch, open, screenshot } = require('./browser');

const PAGE = process.env.BACKPROP_PAGE;
const PAGE_ZH = process.env.BACKPROP_PAGE_ZH;
const URL_ = process.env.BACKPROP_URL;
const EXERCISE = process.env.BACKPROP_EXERCISE;
const NOTEBOOK = process.env.BACKPROP_NOTEBOOK;
const W5_GRAD = 'rounds.0.layers.1.grad_weights.0.0';
const W1_GRAD = 'rounds.0.layers.0.grad_weights.0.0';

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

const stepLabel = (page) => page.textContent('#step-label');
const derivation = (page) => page.textContent('#derivation');

test('a page exported in Chinese opens in Chinese, its button pressed', { skip: !PAGE_ZH }, async () => {
  const { page, errors } = await open(browser.context, pathToFileURL(PAGE_ZH).href);
  assert.equal(await page.textContent('h1'), '反向传播，一步一步算');
  assert.equal(await page.getAttribute('#lang-zh', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('#lang-en', 'aria-pressed'), 'false');
  await page.click('#lang-en');
  assert.equal(await page.getAttribute('#lang-en', 'aria-pressed'), 'true');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Spanish button puts the whole page in Spanish, with the same numbers', { skip: !PAGE }, async () => {
  const { page, errors } = await open(browser.context, pathToFileURL(PAGE).href);
  // One button per registered language, each named in its own language.
  assert.deepEqual(await page.locator('.lang button').allTextContents(), ['English', '中文', 'Español']);
  await page.click('#lang-es');
  assert.equal(await page.getAttribute('#lang-es', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('#lang-en', 'aria-pressed'), 'false');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('h1'), 'Retropropagación, paso a paso');
  assert.deepEqual(await page.locator('#doc h4').allTextContents(), [
    'Propagación hacia adelante', 'Error total', 'Propagación hacia atrás', 'Actualización de los pesos',
  ]);
  assert.equal(await page.textContent('#doc h3'), 'Época 1');
  assert.match(await stepLabel(page), /^Paso 1 de 6, época 1 de 3 — Propagación hacia adelante: capa 1 \(oculta\)$/);
  assert.equal(await page.textContent('#h-net'), 'La red');
  await page.click(`.eqblock[data-key="${W5_GRAD}"]`);
  const text = await derivation(page);
  assert.ok(text.includes('Calculado en la época 1: Propagación hacia atrás: capa 2 (de salida).'), text);
  assert.ok(text.includes('0.082167041') && text.includes('De dónde salen los números'), text);
  await screenshot(page, 'exported-spanish');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the exported page works from disk: steps, derivations, Chinese', { skip: !PAGE }, async () => {
  const requests = [];
  const context = browser.context;
  const { page, errors } = await open(context, pathToFileURL(PAGE).href);
  page.on('request', (r) => requests.push(r.url()));
  assert.match(await stepLabel(page), /Step 1 of 6, round 1 of 3/);
  // The loss of the round appears only once the loss step is reached.
  assert.equal(await page.locator('svg.network .total').count(), 0);

  // Step through a whole round with the keyboard and the buttons.
  await page.focus('#next');
  await page.keyboard.press('ArrowRight');
  await page.click('#next');
  assert.match(await stepLabel(page), /Step 3 of 6, .*Total error/);
  assert.match(await page.textContent('svg.network .total'), /E_total = 0\.2984/);
  await page.click('#next');
  await page.click('#next');
  await page.click('#next');
  assert.match(await stepLabel(page), /Step 6 of 6, .*Update every layer/);
  await screenshot(page, 'exported-end-of-round');

  // ∂E/∂w5 and its three chain-rule factors, each with its value and origin.
  await page.click(`.eqblock[data-key="${W5_GRAD}"]`);
  await page.waitForSelector('#derivation:not([hidden])');
  const text = await derivation(page);
  assert.ok(text.includes('0.082167041'), text);
  for (const factor of ['0.741365070', '0.186815602', '0.593269992']) assert.ok(text.includes(factor), factor);
  assert.equal(await page.locator('#derivation .uses > li').count(), 3);
  await screenshot(page, 'exported-derivation-w5');
  // A factor opens in turn; Back returns.
  await page.click('#derivation .uses > li:nth-child(3) .use-head');
  assert.ok((await derivation(page)).includes('0.593269992'));
  await page.click('#d-back');
  assert.ok((await derivation(page)).includes('0.082167041'));

  // Hovering a number previews its derivation.
  await page.keyboard.press('Escape');
  await page.hover('svg.network text.total');
  await page.waitForSelector('#tip:not([hidden])');
  assert.ok((await page.textContent('#tip')).includes('0.298371109'));

  // Chinese, switched on the page.
  await page.click('#lang-zh');
  assert.equal(await page.textContent('h1'), '反向传播，一步一步算');
  assert.match(await stepLabel(page), /第 1 轮（共 3 轮）：第 6 步/);
  assert.ok((await page.textContent('#doc')).includes('反向传播'));
  await page.click(`.eqblock[data-key="${W5_GRAD}"]`);
  assert.ok((await derivation(page)).includes('第 1 轮「反向传播'));
  await screenshot(page, 'exported-chinese');
  await page.keyboard.press('Escape');
  await page.click('#lang-en');

  // The loss curve reads exact values from the keyboard.
  await page.focus('.curve-svg');
  await page.keyboard.press('End');
  assert.match(await page.textContent('#curve-readout'), /Round 10000, before its update: E_total = 3\.51085481225e-5/);

  // A phone-sized screen.
  const phone = await open(context, pathToFileURL(PAGE).href, { width: 390, height: 844 });
  const width = await phone.page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a 390px screen`);
  await phone.page.click('#next');
  await phone.page.screenshot({ path: require('node:path').join(require('./browser').ARTIFACTS, 'exported-phone.png') });
  await phone.page.close();

  assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Practice: a right value and a wrong one, each with its verdict, from disk', { skip: !PAGE }, async () => {
  const { page, errors } = await open(browser.context, pathToFileURL(PAGE).href);
  await page.click('#tab-practice');
  assert.equal(await page.getAttribute('#tab-practice', 'aria-selected'), 'true');
  assert.equal(await page.isHidden('#view-explain'), true);
  // w5⁺ of the first round: 0.4 − 0.5 × 0.082167041 = 0.358916480 (the tutorial).
  const w5 = page.locator('input[data-key="rounds.0.layers.1.weights_after.0.0"]');
  const item = page.locator('.practice-item', { has: w5 });
  await w5.fill('0.3589');
  await w5.press('Enter');
  assert.equal(await item.getAttribute('data-verdict'), 'right');
  assert.equal(await item.locator('.verdict').textContent(), 'Right.');
  // w5 + η·∂E/∂w5 = 0.4 + 0.5 × 0.082167041 = 0.441083521: the update added.
  await w5.fill('0.44108');
  await w5.press('Enter');
  assert.equal(await item.getAttribute('data-verdict'), 'wrong');
  const wrong = await item.locator('.verdict').textContent();
  assert.ok(wrong.startsWith('Wrong.') && wrong.includes('w⁺ = w − η·∂E/∂w'), wrong);
  // The derivation, revealed on demand.
  assert.equal(await item.locator('.reveal').isHidden(), true);
  await item.locator('.reveal-button').click();
  assert.match(await item.locator('.reveal').textContent(), /0\.358916480/);
  // The verdict follows the language, and what was typed stays.
  await page.click('#lang-zh');
  assert.equal(await w5.inputValue(), '0.44108');
  assert.ok((await item.locator('.verdict').textContent()).startsWith('错误。'));
  await page.click('#lang-en');
  await screenshot(page, 'practice');
  assert.deepEqual(errors, []);
  await page.close();
});

test('an exercise page opens on its Practice mode', { skip: !EXERCISE }, async () => {
  const { page, errors } = await open(browser.context, pathToFileURL(EXERCISE).href);
  assert.equal(await page.getAttribute('#tab-practice', 'aria-selected'), 'true');
  assert.equal(await page.isHidden('#tab-play'), true);
  const inputs = page.locator('.practice-item input');
  assert.ok(await inputs.count() >= 10);
  // The first value asked for, typed in full from the page's own data, is right.
  const key = await inputs.first().getAttribute('data-key');
  const value = await page.evaluate((k) => window.BP.data.quantities[k].shown, key);
  await inputs.first().fill(value);
  await inputs.first().press('Enter');
  assert.equal(await page.locator('.practice-item').first().getAttribute('data-verdict'), 'right');
  assert.deepEqual(errors, []);
  await page.close();
});

test("the example notebook's output shows the page inline, working", { skip: !NOTEBOOK }, async () => {
  // The output is not the page itself but the iframe that holds it, so the page is
  // opened without waiting for its own readiness.
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(pathToFileURL(NOTEBOOK).href);
  // The page runs sandboxed in the output's iframe, from its srcdoc: no server.
  const frame = page.frameLocator('iframe');
  await frame.locator('body[data-ready="true"]').waitFor();
  // ∂E_total/∂w5 of the tutorial's first round, as its equation's label reads it.
  const label = await frame.locator(`.eqblock[data-key="${W5_GRAD}"]`).getAttribute('aria-label');
  assert.equal(label, '∂E_total/∂w5 = 0.082167041');
  await frame.locator('#next').click();
  assert.match(await frame.locator('#step-label').textContent(), /Step 2 of 6/);
  await screenshot(page, 'notebook-output');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the served page recomputes after an edit', { skip: !URL_ }, async () => {
  const { page, errors } = await open(browser.context, URL_);
  const spec = await page.evaluate(() => window.BP.data.explanation.network);
  const before = await page.evaluate((k) => window.BP.data.quantities[k].shown, W1_GRAD);
  assert.equal(before, '0.000438568');

  // What the engine computes for w1 = 0.3, asked directly.
  spec.layers[0].weights[0][0] = 0.3;
  const answer = await fetch(new URL('api/explain?rounds=1000&show=3&order=textbook', URL_), {
    method: 'POST', body: JSON.stringify(spec),
  }).then((r) => r.json());
  const expected = answer.quantities[W1_GRAD].shown;
  assert.notEqual(expected, before);

  const response = page.waitForResponse((r) => r.url().includes('/api/explain'));
  await page.fill('input[aria-label="w1"]', '0.3');
  await page.press('input[aria-label="w1"]', 'Tab');
  await response;
  await page.waitForFunction((k) => window.BP.data.quantities[k].shown !== '0.000438568', W1_GRAD);
  for (let i = 0; i < 4; i++) await page.click('#next');
  await page.click(`.eqblock[data-key="${W1_GRAD}"]`);
  assert.ok((await derivation(page)).includes(expected), `${expected} in ${await derivation(page)}`);
  await screenshot(page, 'served-edited-w1');

  // A bad value gets the engine's message, and the page keeps working.
  await page.keyboard.press('Escape');
  await page.fill('input[aria-label="η"]', '-1');
  await page.press('input[aria-label="η"]', 'Tab');
  await page.waitForSelector('#error:not([hidden])');
  assert.match(await page.textContent('#error'), /learning_rate: must be a finite number greater than 0/);
  assert.deepEqual(errors.filter((e) => !e.includes('400')), []);
  await page.close();
});

test('the served editor offers the optimizers and shows Adam step by step', { skip: !URL_ }, async () => {
  const { page, errors } = await open(browser.context, URL_);
  const response = page.waitForResponse((r) => r.url().includes('/api/explain'));
  await page.selectOption('select[aria-label="Optimizer"]', 'adam');
  await response;
  await page.waitForFunction(() => window.BP.data.explanation.network.optimizer?.kind === 'adam');
  // The engine wrote the defaults out, and the editor offers them.
  await page.waitForSelector('input[aria-label="Optimizer beta1"]');
  assert.equal(await page.inputValue('input[aria-label="Optimizer beta1"]'), '0.9');
  // m(w5)⁺ = 0.9 × 0 + (1 − 0.9) × 0.082167041 = 0.008216704 (the tutorial's ∂E/∂w5).
  const m = await page.evaluate(() => window.BP.data.quantities['rounds.0.layers.1.optimizer_state_after.m.weights.0.0']);
  assert.equal(m.shown, '0.008216704');
  assert.equal(m.text, 'm(w5)⁺');
  await page.click('#lang-zh');
  await page.click('#lang-en');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the playground trains on moons and the loss falls', { skip: !URL_ }, async () => {
  const { page, errors } = await open(browser.context, URL_);
  await page.click('#tab-play');
  await page.waitForFunction(() => /0 steps/.test(document.getElementById('play-status')?.textContent || ''));
  const lossOf = async () => Number((await page.textContent('#play-status')).match(/loss ([0-9.e-]+)/)[1]);
  const first = await lossOf();
  await page.click('#play-toggle');
  await page.waitForFunction(() => Number((document.getElementById('play-status').textContent.match(/(\d+) steps/) || [])[1]) >= 300, null, { timeout: 30000 });
  await page.click('#play-toggle');
  await page.waitForTimeout(300);
  const last = await lossOf();
  assert.ok(last < first * 0.8, `loss ${first} → ${last}`);
  await screenshot(page, 'playground-moons');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the playground is ${width}px wide on a 390px screen`);
  await screenshot(page, 'playground-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Pause, pick a point, and explain one step on it.
  const box = await page.locator('#regions').boundingBox();
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await page.waitForFunction(() => /selected point #/.test(document.getElementById('play-status').textContent));
  await page.click('#play-inspect');
  await page.waitForFunction(() => window.BP.data.explanation.network.layers[0].activation === 'tanh');
  assert.match(await stepLabel(page), /round 1 of 1/);
  await screenshot(page, 'playground-explained');
  assert.deepEqual(errors, []);
  await page.close();
});
