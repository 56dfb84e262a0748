// The page's words in the language shown: its own phrases and the engine's messages,
// looked up in the catalogues (catalogue.js) that came with the data.

import { language, latex, messageText, phrase } from './catalogue.js';
import { state } from './state.js';

/** The page's phrase `key` in the language shown, its placeholders filled from `args`. */
export function t(key, args) {
  return phrase(state.languages, state.lang, key, args);
}

/** The engine's message `msg` ({id, args}) as text in the language shown. */
export function say(msg) {
  return msg ? messageText(state.languages, state.lang, msg) : '';
}

/** The engine's LaTeX parts (strings and messages) in the language shown. */
export function formula(parts) {
  return latex(state.languages, state.lang, parts);
}

/** Puts the current language's words into every element marked with data-t (a phrase), data-t-label or data-msg (a message). */
export function translateStatic(root) {
  (root || document).querySelectorAll('[data-t]').forEach((el) => {
    el.textContent = t(el.dataset.t);
  });
  (root || document).querySelectorAll('[data-t-label]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.tLabel));
    el.title = t(el.dataset.tLabel);
  });
  (root || document).querySelectorAll('[data-msg]').forEach((el) => {
    el.textContent = say({ id: el.dataset.msg });
  });
  document.documentElement.lang = language(state.languages, state.lang)?.language.tag || 'en';
  document.title = say({ id: 'title' });
}
