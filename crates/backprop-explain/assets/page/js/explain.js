// The step-by-step view: which round, step and sample is shown, the controls that
// move through them, and the drawing of the network at that moment. A value appears
// once the step that computes it has been reached.

import { drawCurve } from './curve.js';
import { quantity, refreshDerivation } from './derivation.js';
import { highlightDocument, renderDocument, resetDocument } from './document.js';
import { say, t } from './i18n.js';
import { drawNetwork } from './network.js';
import { renderPractice, resetPractice } from './practice.js';
import { state } from './state.js';
import { h, short } from './util.js';

let shownRound = null;

const rounds = () => state.data.explanation.rounds.length;
const stepCount = () => state.data.steps.length;

function view() {
  const r = state.round, i = state.step, smp = state.sample;
  const round = state.data.explanation.rounds[r];
  const labels = state.data.labels;
  const step = state.data.steps[i];
  const key = (k) => `rounds.${r}.${k}`;
  const reached = (k) => {
    const q = quantity(k);
    return !!q && (q.step === null || q.step <= i);
  };
  const line = (name, k) => {
    const q = quantity(k);
    return { name, value: q ? q.value : null, key: k, pending: !reached(k) };
  };
  const last = round.layers.length - 1;
  const inputs = labels.inputs.map((label, k) => ({
    label,
    lines: [line('', key(`layers.0.input.${smp}.${k}`))],
    title: label,
  }));
  const layers = round.layers.map((layer, l) => ({
    highlight: step.layers.includes(l) && step.stage !== 'loss' || (step.stage === 'loss' && l === last),
    neurons: labels.neurons[l].map((label, j) => {
      const lines = [
        line(t('net'), key(`layers.${l}.net.${smp}.${j}`)),
        line(t('out'), key(`layers.${l}.out.${smp}.${j}`)),
        line('δ', key(`layers.${l}.d_net.${smp}.${j}`)),
      ];
      if (l === last) lines.push(line(t('target'), key(`targets.${smp}.${j}`)));
      return { label, lines, title: label };
    }),
  }));
  const edge = (l, j, k) => {
    const name = labels.weights[l][j][k];
    const w = key(`layers.${l}.weights_before.${j}.${k}`);
    const g = key(`layers.${l}.grad_weights.${j}.${k}`);
    const a = key(`layers.${l}.weights_after.${j}.${k}`);
    const val = (x) => quantity(x).value;
    const parts = [`${name} = ${quantity(w).shown}`];
    let out = { mode: 'weight', value: val(w), label: `${name} ${short(val(w))}`, key: w };
    if (reached(g)) {
      parts.push(`∂E/∂${name} = ${quantity(g).shown}`);
      out = { mode: 'grad', value: val(g), label: `∂E/∂${name} ${short(val(g))}`, key: g };
    }
    if (reached(a)) {
      parts.push(`${name}⁺ = ${quantity(a).shown}`);
      out.label = `${name}⁺ ${short(val(a))}`;
      out.key = a;
    }
    out.title = parts.join(', ');
    return out;
  };
  const lossKey = key('loss');
  const edges = round.layers.reduce((n, layer) => n + layer.weights_before.length * layer.weights_before[0].length, 0);
  return {
    inputs, layers, edge,
    total: reached(lossKey) ? { name: 'E_total', value: quantity(lossKey).value, key: lossKey, highlight: step.stage === 'loss' } : null,
    labels: edges <= 24,
    compact: Math.max(...round.layers.map((l) => l.net[0].length), labels.inputs.length) > 8,
  };
}

function renderSteps() {
  const list = document.getElementById('steps');
  list.replaceChildren(...state.data.steps.map((st, i) => h('li', {},
    h('button', {
      type: 'button', class: i === state.step ? 'current' : (i < state.step ? 'done' : ''),
      'aria-current': i === state.step ? 'step' : null,
      onclick: () => go(state.round, i),
    }, say(st.title)))));
  const n = stepCount();
  document.getElementById('step-label').textContent =
    `${t('step_of', { step: state.step + 1, steps: n, round: state.round + 1, rounds: rounds() })} — ${say(state.data.steps[state.step].title)}`;
  document.getElementById('prev').disabled = state.step === 0 && state.round === 0;
  document.getElementById('first').disabled = state.step === 0;
  document.getElementById('next').disabled = state.step === n - 1 && state.round === rounds() - 1;
  document.getElementById('next-round').disabled = state.round === rounds() - 1;
}

function renderSamples() {
  const batch = state.data.explanation.network.samples.length;
  const select = document.getElementById('sample');
  select.closest('label').hidden = batch < 2;
  select.replaceChildren(...[...Array(batch).keys()].map((s) => h('option', { value: s, selected: s === state.sample }, String(s + 1))));
}

/** Draws everything for the current round, step, sample and language. */
export function renderExplain(scroll) {
  if (!state.data.explanation.rounds.length) return;
  drawNetwork(document.getElementById('net'), view());
  renderSteps();
  if (shownRound !== `${state.lang}:${state.round}`) {
    renderDocument(state.round);
    shownRound = `${state.lang}:${state.round}`;
  }
  highlightDocument(state.step, scroll);
  drawCurve(document.getElementById('curve'), document.getElementById('curve-readout'), state.data.curve.losses, { marker: state.round + 1, rounds: state.data.curve.rounds });
}

/** Forgets what was drawn, after new data or a change of language. */
export function invalidateExplain() {
  shownRound = null;
  resetDocument();
}

function go(round, step) {
  state.round = Math.max(0, Math.min(rounds() - 1, round));
  state.step = Math.max(0, Math.min(stepCount() - 1, step));
  renderExplain(true);
}

/** One step on, into the next round after the last step. */
function next() {
  return state.step < stepCount() - 1 ? go(state.round, state.step + 1) : go(state.round + 1, 0);
}

/** One step back, into the previous round before the first step. */
function prev() {
  return state.step > 0 ? go(state.round, state.step - 1) : state.round > 0 && go(state.round - 1, stepCount() - 1);
}

/** Keeps the round, step and sample within new data. */
function clampState() {
  state.round = Math.min(state.round, Math.max(0, rounds() - 1));
  state.step = Math.min(state.step, stepCount() - 1);
  state.sample = Math.min(state.sample, state.data.explanation.network.samples.length - 1);
  renderSamples();
}

/** Shows new data from the engine, keeping the round and step where they still exist. */
export function setData(data) {
  state.data = data;
  invalidateExplain();
  resetPractice();
  clampState();
  renderExplain(false);
  renderPractice();
  refreshDerivation();
}

/** Wires the view's buttons, sample choice and arrow keys. */
export function initExplain() {
  document.getElementById('first').addEventListener('click', () => go(state.round, 0));
  document.getElementById('prev').addEventListener('click', prev);
  document.getElementById('next').addEventListener('click', next);
  document.getElementById('next-round').addEventListener('click', () => go(state.round + 1, 0));
  document.getElementById('sample').addEventListener('change', (e) => {
    state.sample = Number(e.target.value);
    renderExplain(false);
  });
  document.addEventListener('keydown', (e) => {
    const target = e.target;
    if (e.altKey || e.ctrlKey || e.metaKey || document.getElementById('view-explain').hidden) return;
    if (target.closest && target.closest('input, select, textarea, .curve-svg, [role=tab]')) return;
    if (e.key === 'ArrowRight') { next(); e.preventDefault(); }
    if (e.key === 'ArrowLeft') { prev(); e.preventDefault(); }
  });
  renderSamples();
}
