// A quantity's derivation: its equation with the values substituted, and for every
// number the equation uses, that number's own value and where it came from. Opens
// on click (or Enter), previews on hover (or focus). Everything shown is looked up
// in the engine's data by key.

import { formula, say, t } from './i18n.js';
import { state } from './state.js';
import { equation, h, linkQuantity, math, tex } from './util.js';

const history = [];
let opener = null;

/** The quantity named `key` in the current data. */
export function quantity(key) {
  return state.data && state.data.quantities[key];
}

function roundOf(key) {
  const m = /^rounds\.(\d+)\./.exec(key);
  return m ? Number(m[1]) : null;
}

function heading(q) {
  return `${q.latex} = ${q.shown}`;
}

function origin(key, q) {
  if (q.given) return say(q.given);
  const step = state.data.steps[q.step];
  return t('computed_in', { step: step ? say(step.title) : '', round: (roundOf(key) ?? 0) + 1 });
}

/** Fills the panel with `key`'s derivation. */
function show(key) {
  const q = quantity(key);
  if (!q) return;
  const panel = document.getElementById('derivation');
  const body = document.getElementById('d-body');
  tex(document.getElementById('d-title'), heading(q), false);
  panel.dataset.key = key;
  const parts = [h('p', { class: 'origin', text: origin(key, q) })];
  if (q.equation) parts.push(equation(formula(q.equation)));
  if (q.uses.length) {
    parts.push(h('h3', { text: t('where_from') }));
    const list = h('ol', { class: 'uses' });
    for (const u of q.uses) {
      const used = quantity(u);
      if (!used) continue;
      const open = linkQuantity(h('span', { class: 'use-head' }, math(heading(used))), u);
      open.setAttribute('aria-label', `${t('open')} ${used.text} = ${used.shown}`);
      const detail = used.equation
        ? equation(formula(used.equation))
        : h('p', { class: 'origin', text: origin(u, used) });
      list.append(h('li', {}, open, detail));
    }
    parts.push(list);
  }
  body.replaceChildren(...parts);
  document.getElementById('d-back').hidden = history.length < 2;
  panel.hidden = false;
  document.body.classList.add('with-derivation');
}

/** Opens the derivation of `key`, remembering where it was opened from. */
export function openDerivation(key, from) {
  if (!quantity(key)) return;
  if (from && !document.getElementById('derivation').contains(from)) {
    opener = from;
    history.length = 0;
  }
  history.push(key);
  show(key);
  hideTip();
  document.getElementById('d-close').focus({ preventScroll: true });
}

export function closeDerivation() {
  const panel = document.getElementById('derivation');
  if (panel.hidden) return;
  panel.hidden = true;
  history.length = 0;
  document.body.classList.remove('with-derivation');
  if (opener && document.contains(opener)) opener.focus({ preventScroll: true });
}

/** Shows the open derivation again in the current language or after new data. */
export function refreshDerivation() {
  const panel = document.getElementById('derivation');
  if (panel.hidden) return;
  if (quantity(panel.dataset.key)) show(panel.dataset.key);
  else closeDerivation();
}

const tip = () => document.getElementById('tip');
function hideTip() { tip().hidden = true; }
function showTip(el) {
  const q = quantity(el.dataset.key);
  if (!q || document.getElementById('derivation').contains(el)) return;
  const box = tip();
  box.replaceChildren(math(heading(q)), q.equation ? equation(formula(q.equation)) : h('p', { text: origin(el.dataset.key, q) }));
  box.hidden = false;
  const r = el.getBoundingClientRect();
  const w = Math.min(box.offsetWidth, window.innerWidth - 16);
  box.style.left = `${Math.max(8, Math.min(window.innerWidth - w - 8, r.left + r.width / 2 - w / 2)) + window.scrollX}px`;
  const below = r.bottom + 8 + box.offsetHeight < window.innerHeight;
  box.style.top = `${(below ? r.bottom + 8 : r.top - 8 - box.offsetHeight) + window.scrollY}px`;
}

export function initDerivation() {
  document.getElementById('d-close').addEventListener('click', closeDerivation);
  document.getElementById('d-back').addEventListener('click', () => {
    history.pop();
    show(history[history.length - 1]);
  });
  document.addEventListener('click', (e) => {
    const el = e.target.closest && e.target.closest('.q[data-key]');
    if (el) openDerivation(el.dataset.key, el);
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { hideTip(); closeDerivation(); return; }
    const el = document.activeElement;
    if ((e.key === 'Enter' || e.key === ' ') && el && el.matches('.q[data-key]')) {
      e.preventDefault();
      openDerivation(el.dataset.key, el);
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
}
