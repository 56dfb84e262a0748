// The pure helpers of util.js: the numbers the drawing and the readouts show, the
// server calls' handling of answers and errors, and debouncing.
import test from 'node:test';
import assert from 'node:assert/strict';
import { catalogue, codes, load } from './sources.mjs';

const { short, loss, post, debounce, showError, linkQuantity } = await load('util.js');
const { state } = await load('state.js');

test('short numbers: four significant digits, scientific when tiny or huge, ? when unknown', () => {
  for (const [x, shown] of [
    [null, '?'], [undefined, '?'], [NaN, '?'], [0, '0'],
    [0.5, '0.5'], [-2.5, '-2.5'], [0.082167041, '0.08217'], [1234.5, '1235'], [9999.5, '10000'],
    [0.001, '0.001'], [0.000999, '9.99e-4'], [-0.000438568, '-4.39e-4'], [12345, '1.23e+4'],
  ]) {
    assert.equal(short(x), shown, `short(${x})`);
  }
});

test('losses print as the tables print them: 12 significant digits, e-notation below 1e-4', () => {
  // The same values as explain::expr's format_loss tests.
  assert.equal(loss(0.291027773694), '0.291027773694');
  assert.equal(loss(3.51018778298e-5), '3.51018778298e-5');
  assert.equal(loss(0.298371109), '0.298371109000');
  assert.equal(loss(1.5e-300), '1.50000000000e-300');
  assert.equal(loss(1e20), '1.00000000000e20');
  assert.equal(loss(Infinity), 'Infinity');
  assert.equal(loss(NaN), 'NaN');
});

/** Replaces fetch for one call, answering `status` with `body`; returns what was asked. */
function answer(status, body) {
  const asked = {};
  globalThis.fetch = async (path, init) => {
    Object.assign(asked, { path, ...init });
    return {
      ok: status >= 200 && status < 300,
      status,
      json: async () => (typeof body === 'string' ? JSON.parse(body) : body),
    };
  };
  return asked;
}

test('post sends JSON and resolves to the answer', async () => {
  const asked = answer(200, { rounds: 3 });
  assert.deepEqual(await post('api/explain?rounds=3', { inputs: 2 }), { rounds: 3 });
  assert.equal(asked.path, 'api/explain?rounds=3');
  assert.equal(asked.method, 'POST');
  assert.equal(asked.headers['Content-Type'], 'application/json');
  assert.equal(asked.body, '{"inputs":2}');
  // A body that is already text goes as it is.
  const again = answer(200, {});
  await post('api/train', '{"steps":1}');
  assert.equal(again.body, '{"steps":1}');
});

test("post throws the server's message, or the HTTP status when there is none", async () => {
  answer(422, { error: 'learning_rate: must be a finite number greater than 0' });
  await assert.rejects(post('api/explain', {}), { message: 'learning_rate: must be a finite number greater than 0' });
  answer(500, 'not JSON');
  await assert.rejects(post('api/explain', {}), { message: 'HTTP 500' });
  answer(400, {});
  await assert.rejects(post('api/explain', {}), { message: 'HTTP 400' });
});

test('debounce calls once, with the last arguments, after the calls stop', async () => {
  const calls = [];
  const f = debounce((...args) => calls.push(args), 20);
  f(1);
  f(2);
  f(3, 'x');
  assert.deepEqual(calls, []);
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(calls, [[3, 'x']]);
});

test('showError writes the message in the current language, and hides when given none', () => {
  const el = { hidden: true, textContent: '' };
  globalThis.document = { getElementById: (id) => (id === 'error' ? el : null) };
  try {
    // The catalogues, as the page takes them from its data.
    state.languages = codes().map(catalogue);
    state.lang = 'en';
    showError('bad spec');
    assert.deepEqual(el, { hidden: false, textContent: 'Error: bad spec' });
    state.lang = 'zh';
    showError('bad spec');
    assert.equal(el.textContent, '出错了: bad spec');
    showError(null);
    assert.deepEqual(el, { hidden: true, textContent: '' });
  } finally {
    state.languages = [];
    state.lang = 'en';
    delete globalThis.document;
  }
});

test('linkQuantity makes an element a button that names its quantity', () => {
  const classes = new Set();
  const attributes = {};
  const el = {
    classList: { add: (c) => classes.add(c) },
    dataset: {},
    setAttribute: (k, v) => { attributes[k] = v; },
  };
  assert.equal(linkQuantity(el, 'rounds.0.loss'), el);
  assert.deepEqual([...classes], ['q']);
  assert.equal(el.dataset.key, 'rounds.0.loss');
  assert.deepEqual(attributes, { tabindex: '0', role: 'button' });
});
