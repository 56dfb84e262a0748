// Small helpers: building elements, rendering LaTeX with KaTeX, short numbers for the
// drawing, and calls to the server's API.

import { t } from './i18n.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An element: h('div', {class: 'x', onclick: f}, child, 'text', …). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAll(el, attrs);
  append(el, children);
  return el;
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAll(el, attrs);
  append(el, children);
  return el;
}

function setAll(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
}

function append(el, children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
}

/** Renders `latex` into `el` (display math when `display`). */
export function tex(el, latex, display) {
  try {
    window.katex.render(latex, el, { displayMode: !!display, throwOnError: false, output: 'html' });
  } catch (e) {
    el.textContent = latex;
  }
  return el;
}

/** A span holding rendered math. */
export function math(latex, display, cls) {
  return tex(h(display ? 'div' : 'span', { class: cls || 'm' }), latex, display);
}

/** An aligned equation from the engine's rows. */
export function equation(rows) {
  return math(`\\begin{aligned}${rows}\\end{aligned}`, true, 'eq');
}

/** A number short enough for the drawing; the derivation shows it in full. */
export function short(x) {
  if (x === null || x === undefined || Number.isNaN(x)) return '?';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) return x.toExponential(2);
  return String(Number(x.toPrecision(4)));
}

/** A loss as the tables print it: 12 significant digits, scientific below 10⁻⁴. */
export function loss(x) {
  if (!Number.isFinite(x)) return String(x);
  const shown = x !== 0 && Math.abs(x) < 1e-4 ? x.toExponential(11) : x.toPrecision(12);
  return shown.replace(/e([+-])/, (_, sign) => (sign === '-' ? 'e-' : 'e'));
}

/** POSTs `body` to the server's `path`; resolves to the JSON answer or throws its message. */
export async function post(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer;
}

/** `f`, called once calls have stopped for `ms` milliseconds. */
export function debounce(f, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => f(...args), ms);
  };
}

/** Shows an error message above the page, or hides it. */
export function showError(message) {
  const el = document.getElementById('error');
  el.hidden = !message;
  el.textContent = message ? `${t('error')}: ${message}` : '';
}

/** Makes `el` open quantity `key` on click, Enter or Space, and preview it on hover/focus. */
export function linkQuantity(el, key) {
  el.classList.add('q');
  el.dataset.key = key;
  el.setAttribute('tabindex', '0');
  el.setAttribute('role', 'button');
  return el;
}
