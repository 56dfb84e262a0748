// Looking the page's words up in the current language: its own phrases (strings.js)
// and the engine's ({en, zh}). The lookups are pure functions of the language, so they
// can be tested without a browser; `t` and `pick` apply them to the language shown.

import { state } from './state.js';
import { STRINGS } from './strings.js';

/** The phrase `key` in `lang`, else in English, else the key itself; functions take `args`. */
export function phrase(lang, key, ...args) {
  const s = STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? key;
  return typeof s === 'function' ? s(...args) : s;
}

/** The page's phrase `key` in the current language; functions take arguments. */
export function t(key, ...args) {
  return phrase(state.lang, key, ...args);
}

/** A phrase from the engine ({en, zh?}) in `lang`: Chinese when it has some, else English. */
export function pickIn(lang, langs) {
  if (!langs) return '';
  return (lang === 'zh' && langs.zh) || langs.en;
}

/** A phrase from the engine ({en, zh?}) in the current language. */
export function pick(langs) {
  return pickIn(state.lang, langs);
}

/** Puts the current language's words into every element marked with data-t. */
export function translateStatic(root) {
  (root || document).querySelectorAll('[data-t]').forEach((el) => {
    el.textContent = t(el.dataset.t);
  });
  (root || document).querySelectorAll('[data-t-label]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.tLabel));
    el.title = t(el.dataset.tLabel);
  });
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
}
