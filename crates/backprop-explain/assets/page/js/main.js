// Starts the page: reads the engine's data, wires the language switch and the tabs,
// and, when a server answers (`backprop serve`), the editor and the playground.

import { closeDerivation, initDerivation, refreshDerivation } from './derivation.js';
import { initEditor, renderEditor } from './editor.js';
import { initExplain, invalidateExplain, renderExplain } from './explain.js';
import { translateStatic } from './i18n.js';
import { renderPlayground, showPlayground } from './playground.js';
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
  refreshDerivation();
  if (state.settings.live) {
    renderEditor();
    renderPlayground();
  }
}

function selectTab(which) {
  const explain = which === 'explain';
  const tabs = { explain: document.getElementById('tab-explain'), play: document.getElementById('tab-play') };
  tabs.explain.setAttribute('aria-selected', String(explain));
  tabs.play.setAttribute('aria-selected', String(!explain));
  tabs.explain.tabIndex = explain ? 0 : -1;
  tabs.play.tabIndex = explain ? -1 : 0;
  document.getElementById('view-explain').hidden = !explain;
  document.getElementById('view-play').hidden = explain;
  closeDerivation();
  if (explain) renderExplain(false);
  else showPlayground();
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
  if (state.settings.live) {
    document.querySelector('.tabs').hidden = false;
    document.getElementById('tab-explain').addEventListener('click', () => selectTab('explain'));
    document.getElementById('tab-play').addEventListener('click', () => selectTab('play'));
    document.querySelector('.tabs').addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const next = document.activeElement.id === 'tab-explain' ? 'play' : 'explain';
      selectTab(next);
      document.getElementById(`tab-${next}`).focus();
    });
    initEditor();
  }
  renderExplain(false);
  let width = window.innerWidth;
  window.addEventListener('resize', debounce(() => {
    if (window.innerWidth === width) return;
    width = window.innerWidth;
    if (!document.getElementById('view-explain').hidden) renderExplain(false);
    else showPlayground();
  }, 150));
  document.body.dataset.ready = 'true';
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
