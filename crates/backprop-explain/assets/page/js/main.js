// Starts the page: reads the engine's data, wires the language switch and the tabs,
// and, when a server answers (`backprop serve`), the editor and the playground.

import { closeDerivation, initDerivation, refreshDerivation } from './derivation.js';
import { initEditor, renderEditor } from './editor.js';
import { initExplain, invalidateExplain, renderExplain } from './explain.js';
import { translateStatic } from './i18n.js';
import { renderPlayground, showPlayground } from './playground.js';
import { state } from './state.js';
import { debounce } from './util.js';

/** Marks the button of the language shown as pressed. */
function markLang(lang) {
  document.getElementById('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
  document.getElementById('lang-zh').setAttribute('aria-pressed', String(lang === 'zh'));
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
  state.lang = state.settings.lang === 'zh' ? 'zh' : 'en';
  // The state, readable from the console and by the browser tests; nothing reads it here.
  window.BP = state;
  markLang(state.lang);
  translateStatic();
  initDerivation();
  initExplain();
  document.getElementById('lang-en').addEventListener('click', () => setLang('en'));
  document.getElementById('lang-zh').addEventListener('click', () => setLang('zh'));
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
