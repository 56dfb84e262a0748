// The Practice mode: the numbers of a round hidden behind input fields, in the order of
// the steps. The learner types a value and presses Enter, and reads right, off by
// rounding, or wrong with the mistake that gives that number; a button reveals the
// derivation. Every verdict is a lookup in the engine's data (judge.js), so the mode
// works in a page opened from disk.

import { quantity } from './derivation.js';
import { formula, say, t } from './i18n.js';
import { judge, parseAnswer } from './judge.js';
import { state } from './state.js';
import { equation, h, linkQuantity, math } from './util.js';

/** The round practised, and what was typed and sent with Enter, by key. */
let round = 0;
const typed = new Map();
const sent = new Set();

const prefix = () => `rounds.${round}.`;

/** The keys of round `round` that an equation derives, by step, in the document's order. */
function questions() {
  const byStep = new Map();
  for (const e of state.data.doc) {
    if (e.kind !== 'eq' || e.round !== round || !state.data.practice[e.key]) continue;
    if (!byStep.has(e.step)) byStep.set(e.step, []);
    byStep.get(e.step).push(e.key);
  }
  return byStep;
}

/** The values the round starts from: the learning rate, inputs, targets and parameters. */
function givens() {
  const keys = Object.keys(state.data.quantities)
    .filter((k) => (k.startsWith(prefix()) || k.startsWith('network.')) && state.data.quantities[k].given);
  return keys.map((k) => {
    const q = quantity(k);
    return h('li', {}, linkQuantity(math(`${q.latex} = ${q.shown}`), k));
  });
}

/** The verdict on what was typed for `key`, as text, and its kind. */
function verdict(key) {
  const q = quantity(key);
  const answer = parseAnswer(typed.get(key) ?? '');
  if (!answer) return { kind: 'invalid', text: t('practice_not_a_number') };
  const { verdict: kind, mistakes } = judge(answer.value, answer.places, q.value, state.data.practice[key]);
  const parts = [t(`practice_${kind}`, { expected: q.shown })];
  if (kind === 'wrong' && !mistakes.length) parts.push(say({ id: 'check_no_mistake' }));
  for (const id of mistakes) parts.push(say({ id: `mistake_${id}` }));
  return { kind, text: parts.join(' ') };
}

function showVerdict(item, key) {
  const out = item.querySelector('.verdict');
  if (!sent.has(key)) {
    out.textContent = '';
    delete item.dataset.verdict;
    return;
  }
  const v = verdict(key);
  item.dataset.verdict = v.kind;
  out.textContent = v.text;
}

function question(key, n) {
  const q = quantity(key);
  const id = `practice-${n}`;
  const input = h('input', {
    id, type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false',
    'data-key': key, 'aria-describedby': `${id}-verdict`,
  });
  input.value = typed.get(key) ?? '';
  const reveal = h('div', { class: 'reveal', hidden: true });
  const item = h('li', { class: 'practice-item' },
    h('label', { for: id }, math(q.latex), ' ='),
    input,
    h('button', {
      type: 'button', class: 'reveal-button', 'aria-expanded': 'false',
      onclick: (e) => {
        const open = reveal.hidden;
        reveal.hidden = !open;
        e.currentTarget.setAttribute('aria-expanded', String(open));
        if (open && !reveal.firstChild) {
          reveal.append(linkQuantity(h('div', { class: 'eqblock' }, equation(formula(q.equation))), key));
        }
      },
    }, t('practice_reveal')),
    h('p', { class: 'verdict', id: `${id}-verdict`, 'aria-live': 'polite' }),
    reveal);
  input.addEventListener('input', () => typed.set(key, input.value));
  input.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    typed.set(key, input.value);
    if (input.value.trim()) sent.add(key);
    else sent.delete(key);
    showVerdict(item, key);
  });
  showVerdict(item, key);
  return item;
}

function roundChoice() {
  const rounds = state.data.explanation.rounds.length;
  if (rounds < 2) return null;
  const select = h('select', { id: 'practice-round' },
    [...Array(rounds).keys()].map((r) => h('option', { value: r, selected: r === round }, String(r + 1))));
  select.addEventListener('change', () => {
    round = Number(select.value);
    renderPractice();
    document.getElementById('practice-round').focus();
  });
  return h('label', { class: 'sample' }, h('span', { text: t('practice_round') }), ' ', select);
}

/** Draws the Practice view, when shown, for the current data and language, keeping what was typed. */
export function renderPractice() {
  const view = document.getElementById('view-practice');
  if (view.hidden || !state.data || !state.data.practice) return;
  round = Math.min(round, Math.max(0, state.data.explanation.rounds.length - 1));
  let n = 0;
  const steps = [...questions()].map(([step, keys]) => h('section', { class: 'practice-step' },
    h('h3', { text: say(state.data.steps[step]?.title) }),
    h('ol', { class: 'practice-list' }, keys.map((k) => question(k, n++)))));
  view.replaceChildren(h('section', { class: 'card practice', 'aria-labelledby': 'h-practice' },
    h('h2', { id: 'h-practice', text: t('tab_practice') }),
    h('p', { class: 'hint', text: t('practice_intro') }),
    roundChoice(),
    h('h3', { text: t('practice_given') }),
    h('ul', { class: 'givens' }, givens()),
    steps));
}

/** Forgets what was typed (new data from the editor). */
export function resetPractice() {
  typed.clear();
  sent.clear();
}
