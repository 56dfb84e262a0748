// The engine's document of the explanation, put in the language shown: the
// introduction, the current round's formulas with the current step highlighted, and
// the tables after more rounds. Each equation opens the derivation of the quantity it
// computes.

import { walk } from './catalogue.js';
import { quantity } from './derivation.js';
import { formula, say } from './i18n.js';
import { state } from './state.js';
import { equation, h, linkQuantity, math } from './util.js';

let cache = new Map();

/** The nodes of a message: its words as text, a formula among them as math. */
function message(msg) {
  const out = [];
  walk(state.languages, state.lang, msg,
    (w) => out.push(document.createTextNode(w)),
    (parts) => out.push(math(formula(parts))));
  return out;
}

function inlines(items) {
  return items.flatMap((i) => ('math' in i ? [math(formula(i.math))] : message(i.msg)));
}

function block(entry) {
  switch (entry.kind) {
    case 'title': return null;
    case 'heading': return h('h3', { text: say(entry.msg) });
    case 'subheading': return h('h4', { text: say(entry.msg) });
    case 'para': return h('p', {}, inlines(entry.inlines));
    case 'eq': {
      const q = quantity(entry.key);
      if (!q) return null;
      const el = linkQuantity(h('div', { class: 'eqblock' }, equation(formula(q.equation))), entry.key);
      el.setAttribute('aria-label', `${q.text} = ${q.shown}`);
      return el;
    }
    case 'table': {
      const head = h('tr', {}, entry.header.map((c) => h('th', { scope: 'col' }, inlines([c]))));
      const rows = entry.rows.map((r) => h('tr', {}, r.map((c) => h('td', { text: c }))));
      return h('div', { class: 'table' }, h('table', {}, h('thead', {}, head), h('tbody', {}, rows)));
    }
    default: return null;
  }
}

function render(entries) {
  const out = [];
  for (const e of entries) {
    const el = block(e);
    if (!el) continue;
    if (e.step !== null && e.step !== undefined) el.dataset.step = e.step;
    out.push(el);
  }
  return out;
}

/** Forgets rendered rounds (new data). */
export function resetDocument() { cache = new Map(); }

/** Shows the introduction, round `round` and the summary in the current language. */
export function renderDocument(round) {
  const entries = state.data.doc;
  const firstRound = entries.findIndex((e) => e.round !== null);
  const intro = entries.slice(0, firstRound < 0 ? entries.length : firstRound);
  const summary = firstRound < 0 ? [] : entries.slice(firstRound).filter((e) => e.round === null);
  const id = `${state.lang}:${round}`;
  if (!cache.has(id)) cache.set(id, render(entries.filter((e) => e.round === round)));
  if (!cache.has(`${state.lang}:intro`)) {
    cache.set(`${state.lang}:intro`, render(intro));
    cache.set(`${state.lang}:summary`, render(summary));
  }
  document.getElementById('intro').replaceChildren(...cache.get(`${state.lang}:intro`));
  document.getElementById('doc').replaceChildren(...cache.get(id));
  document.getElementById('summary').replaceChildren(...cache.get(`${state.lang}:summary`));
}

/** Marks the blocks of step `step` as current, earlier ones as done, later ones as ahead. */
export function highlightDocument(step, scroll) {
  const doc = document.getElementById('doc');
  let first = null;
  doc.querySelectorAll('[data-step]').forEach((el) => {
    const s = Number(el.dataset.step);
    el.classList.toggle('current', s === step);
    el.classList.toggle('ahead', s > step);
    if (s === step && !first) first = el;
  });
  const box = doc.closest('.formulas');
  if (scroll && first && box.scrollHeight > box.clientHeight + 4) {
    const top = first.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
    box.scrollTo({ top: Math.max(0, top - 48) });
  }
}
