// The page's words: the catalogues as the page reads them, templates split and filled
// as the engine fills them, the lookups falling back as they should, and every phrase
// the page asks for present.
import test from 'node:test';
import assert from 'node:assert/strict';
import { catalogue, codes, load, modules, read } from './sources.mjs';

const { pieces, phrase, walk, messageText, messageLatex, latex } = await load('catalogue.js');
const { t, say, formula } = await load('i18n.js');
const { state } = await load('state.js');

const LANGUAGES = codes().map(catalogue);

test('every catalogue is read whole: a name, and the phrases of English', () => {
  assert.equal(codes()[0], 'en');
  for (const code of ['zh', 'es']) assert.ok(codes().includes(code), code);
  const [en, ...others] = LANGUAGES;
  assert.ok(Object.keys(en.page).length > 60 && Object.keys(en.explain).length > 50);
  for (const l of LANGUAGES) {
    assert.ok(l.language.name && l.language.tag, l.code);
    for (const section of ['explain', 'page']) assert.deepEqual(Object.keys(l[section]).sort(), Object.keys(en[section]).sort(), `${l.code} [${section}]`);
  }
  assert.equal(others.length, LANGUAGES.length - 1);
});

test('a placeholder is {name} of a–z and _; any other brace is a word (as the engine splits)', () => {
  assert.deepEqual(pieces('Layer {number} (output)'), [
    { words: 'Layer ' }, { name: 'number', raw: '{number}' }, { words: ' (output)' },
  ]);
  const names = (s) => pieces(s).filter((p) => 'name' in p).map((p) => p.name);
  assert.deepEqual(names('{rounds} 轮后的{what}：'), ['rounds', 'what']);
  assert.deepEqual(names('{A} {} {x y} {'), []);
  assert.equal(pieces('a {} {b').map((p) => p.words ?? p.raw).join(''), 'a {} {b');
});

test('phrase fills named placeholders, and falls back to English, then to the key', () => {
  assert.equal(phrase(LANGUAGES, 'en', 'next_round'), 'Next round');
  assert.equal(phrase(LANGUAGES, 'zh', 'next_round'), '下一轮');
  assert.equal(phrase(LANGUAGES, 'es', 'next_round'), 'Época siguiente');
  const at = { step: 2, steps: 6, round: 1, rounds: 3 };
  assert.equal(phrase(LANGUAGES, 'en', 'step_of', at), 'Step 2 of 6, round 1 of 3');
  assert.equal(phrase(LANGUAGES, 'zh', 'step_of', at), '第 1 轮（共 3 轮）：第 2 步，共 6 步');
  assert.equal(phrase(LANGUAGES, 'es', 'step_of', at), 'Paso 2 de 6, época 1 de 3');
  assert.equal(phrase(LANGUAGES, 'en', 'selected', { number: 1 }), 'selected point #1');
  // A placeholder without its argument stays as written.
  assert.equal(phrase(LANGUAGES, 'en', 'layer'), 'Layer {number}');
  assert.equal(phrase(LANGUAGES, 'zh', 'no_such_phrase'), 'no_such_phrase');
  assert.equal(phrase(LANGUAGES, 'fr', 'next_round'), 'Next round');
  const partial = [LANGUAGES[0], { code: 'xx', language: { name: 'X', tag: 'x' }, explain: {}, page: {} }];
  assert.equal(phrase(partial, 'xx', 'close'), 'Close');
});

// The engine's message for the network (explain::build), nested as its data holds it.
const NETWORK = {
  id: 'network',
  args: {
    inputs: '2',
    layers: [
      { id: 'layer_neurons', args: { size: '2', activation: 'sigmoid' } },
      ' → ',
      { id: 'layer_neurons', args: { size: '2', activation: 'sigmoid' } },
    ],
    loss: 'half_sse',
  },
};

test('a message and the messages among its arguments fill in as the engine prints them', () => {
  // As in the snapshots of the tutorial's text (tests/snapshots).
  assert.equal(messageText(LANGUAGES, 'en', NETWORK), 'The network: 2 inputs → 2 sigmoid → 2 sigmoid. Loss: half_sse, ');
  assert.equal(messageText(LANGUAGES, 'zh', NETWORK), '网络结构：2 个输入 → 2 个 sigmoid 神经元 → 2 个 sigmoid 神经元。损失函数：half_sse，');
  assert.equal(messageText(LANGUAGES, 'es', NETWORK), 'La red: 2 entradas → 2 sigmoid → 2 sigmoid. Función de pérdida: half_sse, ');
  const runs = [];
  walk(LANGUAGES, 'en', { id: 'hidden_layer', args: { number: '2' } }, (w) => runs.push(w), () => runs.push('math'));
  assert.deepEqual(runs, ['Layer ', '2', ' (hidden)']);
});

// ∂out/∂net of a ReLU at its kink as the page receives it: the same parts as in
// explain::tex's test.
const AT_THE_KINK = [
  '0 \\qquad ',
  { id: 'condition', args: { condition: { math: ['net = 0', { id: 'kink', args: { value: '0' } }] } } },
];

test("words inside a formula are upright, between its LaTeX, as the engine's Markdown has them", () => {
  assert.equal(latex(LANGUAGES, 'en', AT_THE_KINK),
    '0 \\qquad \\text{(}net = 0\\text{: no derivative at the kink; the engine takes 0}\\text{)}');
  assert.equal(latex(LANGUAGES, 'zh', AT_THE_KINK),
    '0 \\qquad \\text{（此处 }net = 0\\text{：此处不可导，引擎取 0}\\text{）}');
  assert.equal(latex(LANGUAGES, 'es', AT_THE_KINK),
    '0 \\qquad \\text{(}net = 0\\text{: no es derivable en el punto de quiebre; el motor toma 0}\\text{)}');
  assert.equal(messageLatex(LANGUAGES, 'en', { id: 'round', args: { number: '1' } }), '\\text{Round 1}');
  assert.equal(latex(LANGUAGES, 'en', ['a = 1']), 'a = 1');
  assert.equal(latex(LANGUAGES, 'en', undefined), '');
});

test('t, say and formula follow the language shown', () => {
  const before = state.languages;
  try {
    state.languages = LANGUAGES;
    for (const [lang, close, title] of [['en', 'Close', 'Backpropagation, step by step'], ['zh', '关闭', '反向传播，一步一步算'], ['es', 'Cerrar', 'Retropropagación, paso a paso']]) {
      state.lang = lang;
      assert.equal(t('close'), close);
      assert.equal(say({ id: 'title' }), title);
    }
    assert.ok(formula(AT_THE_KINK).includes('punto de quiebre'));
    assert.equal(say(null), '');
  } finally {
    state.lang = 'en';
    state.languages = before;
  }
});

test('every phrase the page asks for by name exists', () => {
  const wanted = new Map();
  const want = (key, where) => wanted.set(key, where);
  const html = read('index.html');
  for (const [, key] of html.matchAll(/data-t(?:-label)?="([^"]+)"/g)) want(key, 'index.html');
  for (const name of modules()) {
    const js = read(`js/${name}`);
    // t('key', …); the playground's option(field, 'key', …).
    for (const [, key] of js.matchAll(/\bt\('([^']+)'/g)) want(key, name);
    for (const [, key] of js.matchAll(/\boption\('[^']+', '([^']+)'/g)) want(key, name);
  }
  assert.ok(wanted.size > 50, `only ${wanted.size} phrases found: the patterns above no longer match`);
  for (const [key, where] of wanted) assert.ok(key in LANGUAGES[0].page, `${where} asks for ${key}, which lang/en.toml's [page] lacks`);
  for (const [, id] of html.matchAll(/data-msg="([^"]+)"/g)) assert.ok(id in LANGUAGES[0].explain, `index.html asks for message ${id}`);
});

test('the update orders the editor offers, and the language group, have names in every language', () => {
  for (const l of LANGUAGES) {
    for (const key of ['textbook', 'published', 'language', 'loss_axis', 'pause', 'train']) assert.ok(l.page[key], `${l.code}.${key}`);
  }
});
