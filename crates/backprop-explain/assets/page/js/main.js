// Starts the page: reads the engine's data, wires the language switch and the tabs,
// and, when a server answers (`backprop serve`), the editor and the playground.

import { closeDerivation, initDerivation, refreshDerivation } from './derivation.js';
import { initEditor, renderEditor } from './editor.js';
import { initExplain, invalidateExplain, renderExplain } from './explain.js';
import { translateStatic } from './i18n.js';
import { renderPlayground, showPlayground } from './playground.js';
import { renderPractice } from './practice.js';
import { state } from './state.js';
import { debounce, h } from './util.js';

/** One button per registered language, each named in its own language. */
function languageButtons() {
  const group = document.querySelector('.lang');
  // The group is named in every language: its reader may not know the one shown.
  group.setAttribute('aria-label', state.languages.map((l) => l.page.language).join(' / '));
  group.replaceChildren(...state.languages.map((l) => h('button', {
    type: 'button', id: `lang-${l.code}`, lang: l.language.tag, 'aria-pressed': 'false',
    onclick: () => setLang(l.code),
  }, l.language.name)));
}

/** Marks the button of the language shown as pressed. */
function markLang(lang) {
  for (const l of state.languages) {
    document.getElementById(`lang-${l.code}`).setAttribute('aria-pressed', String(l.code === lang));
  }
}

function setLang(lang) {
  state.lang = lang;
  markLang(lang);
  translateStatic();
  invalidateExplain();
  renderExplain(false);
  renderPractice();
  refreshDerivation();
  if (state.settings.live) {
    renderEditor();
    renderPlayground();
  }
}

/** The tabs offered: the playground only when a server trains. */
const tabs = () => (state.settings.live ? ['explain', 'practice', 'play'] : ['explain', 'practice']);

function selectTab(which) {
  for (const name of ['explain', 'practice', 'play']) {
    const tab = document.getElementById(`tab-${name}`);
    tab.setAttribute('aria-selected', String(name === which));
    tab.tabIndex = name === which ? 0 : -1;
    document.getElementById(`view-${name}`).hidden = name !== which;
  }
  closeDerivation();
  if (which === 'explain') renderExplain(false);
  else if (which === 'practice') renderPractice();
  else showPlayground();
}

/** The tab shown. */
const selected = () => tabs().find((name) => document.getElementById(`tab-${name}`).getAttribute('aria-selected') === 'true');

function initTabs() {
  for (const name of tabs()) {
    const tab = document.getElementById(`tab-${name}`);
    tab.hidden = false;
    tab.addEventListener('click', () => selectTab(name));
  }
  document.querySelector('.tabs').addEventListener('keydown', (e) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    const names = tabs();
    const at = names.indexOf(selected());
    const next = names[(at + (e.key === 'ArrowRight' ? 1 : names.length - 1)) % names.length];
    selectTab(next);
    document.getElementById(`tab-${next}`).focus();
  });
}

function start() {
  state.settings = JSON.parse(document.getElementById('settings').textContent);
  state.data = JSON.parse(document.getElementById('data').textContent);
  state.languages = state.data.languages || [];
  const known = state.languages.some((l) => l.code === state.settings.lang);
  state.lang = known ? state.settings.lang : state.languages[0]?.code;
  // The state, readable from the console and by the browser tests; nothing reads it here.
  window.BP = state;
  languageButtons();
  markLang(state.lang);
  translateStatic();
  initDerivation();
  initExplain();
  initTabs();
  if (state.settings.live) initEditor();
  renderExplain(false);
  if (state.settings.view === 'practice') selectTab('practice');
  let width = window.innerWidth;
  window.addEventListener('resize', debounce(() => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    if (selected() === 'explain') renderExplain(false);
    else if (selected() === 'play') showPlayground();
  }, 150));
  document.body.dataset.ready = 'true';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
