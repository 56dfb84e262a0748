// A quantity's derivation: its equation with the values substituted, and for every
// number the equation uses, that number's own value and where it came from. Opens
// on click (or Enter), previews on hover (or focus). Everything shown is looked up
// in the engine's data by key.
(function () {
  'use strict';
  const BP = window.BP;
  const h = BP.h;
  const history = [];
  let opener = null;

  /** The quantity named `key` in the current data. */
  BP.quantity = (key) => BP.data && BP.data.quantities[key];

  function roundOf(key) {
    const m = /^rounds\.(\d+)\./.exec(key);
    return m ? Number(m[1]) : null;
  }

  function heading(q) {
    return `${q.latex} = ${q.shown}`;
  }

  function origin(key, q) {
    if (q.given) return BP.pick(q.given);
    const step = BP.data.steps[q.step];
    return BP.t('computedIn', step ? BP.pick(step.title) : '', (roundOf(key) ?? 0) + 1);
  }

  /** Fills the panel with `key`'s derivation. */
  function show(key) {
    const q = BP.quantity(key);
    if (!q) return;
    const panel = document.getElementById('derivation');
    const body = document.getElementById('d-body');
    BP.tex(document.getElementById('d-title'), heading(q), false);
    panel.dataset.key = key;
    const parts = [h('p', { class: 'origin', text: origin(key, q) })];
    if (q.equation) parts.push(BP.equation(BP.pick(q.equation)));
    if (q.uses.length) {
      parts.push(h('h3', { text: BP.t('whereFrom') }));
      const list = h('ol', { class: 'uses' });
      for (const u of q.uses) {
        const used = BP.quantity(u);
        if (!used) continue;
        const open = BP.linkQuantity(h('span', { class: 'use-head' }, BP.math(heading(used))), u);
        open.setAttribute('aria-label', `${BP.t('open')} ${used.text} = ${used.shown}`);
        const detail = used.equation
          ? BP.equation(BP.pick(used.equation))
          : h('p', { class: 'origin', text: origin(u, used) });
        list.append(h('li', {}, open, detail));
      }
      parts.push(list);
    }
    body.replaceChildren(...parts);
    document.getElementById('d-back').hidden = history.length < 2;
    panel.hidden = false;
    document.body.classList.add('with-derivation');
    BP.onDerivation && BP.onDerivation(key);
  }

  /** Opens the derivation of `key`, remembering where it was opened from. */
  BP.openDerivation = function (key, from) {
    if (!BP.quantity(key)) return;
    if (from && !document.getElementById('derivation').contains(from)) {
      opener = from;
      history.length = 0;
    }
    history.push(key);
    show(key);
    hideTip();
    document.getElementById('d-close').focus({ preventScroll: true });
  };

  BP.closeDerivation = function () {
    const panel = document.getElementById('derivation');
    if (panel.hidden) return;
    panel.hidden = true;
    history.length = 0;
    document.body.classList.remove('with-derivation');
    if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
  };

  /** Shows the open derivation again in the current language or after new data. */
  BP.refreshDerivation = function () {
    const panel = document.getElementById('derivation');
    if (panel.hidden) return;
    if (BP.quantity(panel.dataset.key)) show(panel.dataset.key);
    else BP.closeDerivation();
  };

  const tip = () => document.getElementById('tip');
  function hideTip() { tip().hidden = true; }
  function showTip(el) {
    const q = BP.quantity(el.dataset.key);
    if (!q || document.getElementById('derivation').contains(el)) return;
    const t = tip();
    t.replaceChildren(BP.math(heading(q)), q.equation ? BP.equation(BP.pick(q.equation)) : h('p', { text: origin(el.dataset.key, q) }));
    t.hidden = false;
    const r = el.getBoundingClientRect();
    const w = Math.min(t.offsetWidth, window.innerWidth - 16);
    t.style.left = `${Math.max(8, Math.min(window.innerWidth - w - 8, r.left + r.width / 2 - w / 2)) + window.scrollX}px`;
    const below = r.bottom + 8 + t.offsetHeight < window.innerHeight;
    t.style.top = `${(below ? r.bottom + 8 : r.top - 8 - t.offsetHeight) + window.scrollY}px`;
  }

  BP.initDerivation = function () {
    document.getElementById('d-close').addEventListener('click', BP.closeDerivation);
    document.getElementById('d-back').addEventListener('click', () => {
      history.pop();
      show(history[history.length - 1]);
    });
    document.addEventListener('click', (e) => {
      const el = e.target.closest && e.target.closest('.q[data-key]');
      if (el) BP.openDerivation(el.dataset.key, el);
    });
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') { hideTip(); BP.closeDerivation(); return; }
      const el = document.activeElement;
      if ((e.key === 'Enter' || e.key === ' ') && el && el.matches('.q[data-key]')) {
        e.preventDefault();
        BP.openDerivation(el.dataset.key, el);
      }
    });
    const preview = (e) => {
      const el = e.target.closest && e.target.closest('.q[data-key]');
      if (el) showTip(el);
    };
    document.addEventListener('mouseover', preview);
    document.addEventListener('focusin', preview);
    document.addEventListener('mouseout', (e) => { if (e.target.closest && e.target.closest('.q')) hideTip(); });
    document.addEventListener('focusout', hideTip);
  };
})();
