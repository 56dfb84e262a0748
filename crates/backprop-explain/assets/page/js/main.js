// Starts the page: reads the engine's data, wires the language switch and the tabs,
// and, when a server answers (`backprop serve`), the editor and the playground.
(function () {
  'use strict';
  const BP = window.BP;

  /** Marks the button of the language shown as pressed. */
  function markLang(lang) {
    document.getElementById('lang-en').setAttribute('aria-pressed', String(lang === 'en'));
    document.getElementById('lang-zh').setAttribute('aria-pressed', String(lang === 'zh'));
  }

  function setLang(lang) {
    BP.lang = lang;
    markLang(lang);
    BP.translateStatic();
    BP.invalidateExplain();
    BP.renderExplain(false);
    BP.refreshDerivation();
    if (BP.settings.live) {
      BP.renderEditor && BP.renderEditor();
      BP.renderPlayground && BP.renderPlayground();
    }
  }

  /** Shows new data from the engine, keeping the round and step where they still exist. */
  BP.setData = function (data) {
    BP.data = data;
    BP.invalidateExplain();
    BP.clampState();
    BP.renderExplain(false);
    BP.refreshDerivation();
  };

  function selectTab(which) {
    const explain = which === 'explain';
    const tabs = { explain: document.getElementById('tab-explain'), play: document.getElementById('tab-play') };
    tabs.explain.setAttribute('aria-selected', String(explain));
    tabs.play.setAttribute('aria-selected', String(!explain));
    tabs.explain.tabIndex = explain ? 0 : -1;
    tabs.play.tabIndex = explain ? -1 : 0;
    document.getElementById('view-explain').hidden = !explain;
    document.getElementById('view-play').hidden = explain;
    BP.closeDerivation();
    if (explain) BP.renderExplain(false);
    else BP.showPlayground();
  }
  BP.selectTab = selectTab;

  function start() {
    BP.settings = JSON.parse(document.getElementById('settings').textContent);
    BP.data = JSON.parse(document.getElementById('data').textContent);
    BP.lang = BP.settings.lang === 'zh' ? 'zh' : 'en';
    markLang(BP.lang);
    BP.translateStatic();
    BP.initDerivation();
    BP.initExplain();
    document.getElementById('lang-en').addEventListener('click', () => setLang('en'));
    document.getElementById('lang-zh').addEventListener('click', () => setLang('zh'));
    if (BP.settings.live) {
      document.querySelector('.tabs').hidden = false;
      document.getElementById('tab-explain').addEventListener('click', () => selectTab('explain'));
      document.getElementById('tab-play').addEventListener('click', () => selectTab('play'));
      document.querySelector('.tabs').addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        const next = document.activeElement.id === 'tab-explain' ? 'play' : 'explain';
        selectTab(next);
        document.getElementById(`tab-${next}`).focus();
      });
      BP.initEditor();
      BP.initPlayground();
    }
    BP.renderExplain(false);
    let width = window.innerWidth;
    window.addEventListener('resize', BP.debounce(() => {
      if (window.innerWidth === width) return;
      width = window.innerWidth;
      if (!document.getElementById('view-explain').hidden) BP.renderExplain(false);
      else BP.showPlayground();
    }, 150));
    document.body.dataset.ready = 'true';
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
