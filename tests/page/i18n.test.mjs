// The page's words: both languages have every phrase, in the same form, the lookups
// fall back as they should, and every phrase the page asks for exists.
import test from 'node:test';
import assert from 'node:assert/strict';
import { load, modules, read } from './sources.mjs';

const { STRINGS } = await load('strings.js');
const { phrase, pickIn, pick, t } = await load('i18n.js');
const { state } = await load('state.js');

const LANGS = ['en', 'zh'];

test('the languages are English and Chinese, with the same phrases', () => {
  assert.deepEqual(Object.keys(STRINGS).sort(), LANGS);
  assert.deepEqual(Object.keys(STRINGS.zh).sort(), Object.keys(STRINGS.en).sort());
});

test('a phrase is text in every language, or a function of the same arguments', () => {
  for (const [key, en] of Object.entries(STRINGS.en)) {
    for (const lang of LANGS) {
      const s = STRINGS[lang][key];
      assert.equal(typeof s, typeof en, `${lang}.${key}`);
      if (typeof s === 'function') {
        assert.equal(s.length, en.length, `${lang}.${key} takes ${en.length} arguments`);
        const args = [...Array(s.length).keys()].map((i) => 1000 + i);
        const text = s(...args);
        assert.equal(typeof text, 'string');
        // Every argument appears in the sentence.
        for (const a of args) assert.ok(text.includes(String(a)) || text.includes(String(a + 1)), `${lang}.${key}: ${text}`);
      } else {
        assert.ok(s.trim().length > 0, `${lang}.${key} is empty`);
      }
    }
  }
});

test('phrase looks up the language, then English, then shows the key', () => {
  assert.equal(phrase('en', 'nextRound'), 'Next round');
  assert.equal(phrase('zh', 'nextRound'), '下一轮');
  assert.equal(phrase('en', 'stepOf', 2, 6, 1, 3), 'Step 2 of 6, round 1 of 3');
  assert.equal(phrase('zh', 'stepOf', 2, 6, 1, 3), '第 1 轮（共 3 轮）：第 2 步，共 6 步');
  assert.equal(phrase('en', 'selected', 0), 'selected point #1');
  assert.equal(phrase('zh', 'noSuchPhrase'), 'noSuchPhrase');
  assert.equal(phrase('fr', 'nextRound'), 'Next round');
  STRINGS.en.onlyInEnglish = 'only English';
  try {
    assert.equal(phrase('zh', 'onlyInEnglish'), 'only English');
  } finally {
    delete STRINGS.en.onlyInEnglish;
  }
});

test("pickIn takes the engine's Chinese when asked and present, else its English", () => {
  const both = { en: 'Forward pass', zh: '前向传播' };
  assert.equal(pickIn('zh', both), '前向传播');
  assert.equal(pickIn('en', both), 'Forward pass');
  assert.equal(pickIn('zh', { en: 'Forward pass' }), 'Forward pass');
  assert.equal(pickIn('zh', { en: 'Forward pass', zh: '' }), 'Forward pass');
  assert.equal(pickIn('en', null), '');
  assert.equal(pickIn('en', undefined), '');
});

test('t and pick follow the language shown', () => {
  try {
    state.lang = 'zh';
    assert.equal(t('close'), '关闭');
    assert.equal(pick({ en: 'a', zh: 'b' }), 'b');
    state.lang = 'en';
    assert.equal(t('close'), 'Close');
    assert.equal(pick({ en: 'a', zh: 'b' }), 'a');
  } finally {
    state.lang = 'en';
  }
});

test('every phrase the page asks for by name exists', () => {
  const wanted = new Map();
  const want = (key, where) => wanted.set(key, where);
  const html = read('index.html');
  for (const [, key] of html.matchAll(/data-t(?:-label)?="([^"]+)"/g)) want(key, 'index.html');
  for (const name of modules()) {
    const js = read(`js/${name}`);
    // t('key', …) and phrase(lang, 'key', …); the playground's option(field, 'key', …).
    for (const [, key] of js.matchAll(/\bt\('([^']+)'/g)) want(key, name);
    for (const [, key] of js.matchAll(/\bphrase\(\w+, '([^']+)'/g)) want(key, name);
    for (const [, key] of js.matchAll(/\boption\('[^']+', '([^']+)'/g)) want(key, name);
  }
  assert.ok(wanted.size > 50, `only ${wanted.size} phrases found: the patterns above no longer match`);
  for (const [key, where] of wanted) assert.ok(key in STRINGS.en, `${where} asks for ${key}, which strings.js lacks`);
});

test('the update orders the editor offers have names in both languages', () => {
  for (const order of ['textbook', 'published']) {
    for (const lang of LANGS) assert.ok(STRINGS[lang][order], `${lang}.${order}`);
  }
});
