// The playground, when a server answers: train a small network on a 2-D generator
// and watch the decision regions change. The engine trains (POST api/train); the page
// keeps the weights it gets back and sends them with the next request. Pause, pick a
// point, and "Explain" shows every number of one training step on it.

import { drawCurve } from './curve.js';
import { editSpec } from './editor.js';
import { t } from './i18n.js';
import { drawNetwork } from './network.js';
import { state } from './state.js';
import { h, loss, post, showError } from './util.js';

const COLORS = [[245, 147, 34], [8, 119, 189], [44, 160, 44]];
const p = {
  dataset: 'moons', samples: 200, noise: 0.1, seed: 0, hidden: '6,6', activation: 'tanh',
  learning_rate: 0.3, network: null, losses: [], answer: null, inspect: 0, playing: false, busy: false,
};
let built = false;

function request(steps) {
  return {
    dataset: p.dataset, samples: p.samples, noise: p.noise, seed: p.seed,
    hidden: p.hidden.split(',').map((x) => x.trim()).filter((x) => x !== '').map(Number),
    activation: p.activation, learning_rate: p.learning_rate, steps, network: p.network,
    grid: 48, inspect: p.inspect,
  };
}

async function run(steps) {
  if (p.busy) return;
  p.busy = true;
  try {
    const a = await post('api/train', request(steps));
    showError(null);
    p.answer = a;
    p.network = a.network;
    p.losses.push(...a.losses);
    draw();
  } catch (e) {
    showError(e.message);
    p.playing = false;
    controls();
  } finally {
    p.busy = false;
  }
}

async function loop() {
  while (p.playing && !document.getElementById('view-play').hidden) {
    await run(10);
    await new Promise((r) => requestAnimationFrame(r));
  }
}

function restart() {
  p.network = null;
  p.losses = [];
  p.inspect = 0;
  run(0);
}

function regions(canvas) {
  const a = p.answer;
  const g = a.grid;
  const size = canvas.width;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(g.size, g.size);
  for (let row = 0; row < g.size; row++) {
    for (let col = 0; col < g.size; col++) {
      const i = row * g.size + col;
      const c = COLORS[g.class[i] % COLORS.length];
      const strength = 0.25 + 0.5 * Math.max(0, (g.confidence[i] - 1 / a.classes) / (1 - 1 / a.classes));
      const o = ((g.size - 1 - row) * g.size + col) * 4;
      for (let ch = 0; ch < 3; ch++) image.data[o + ch] = Math.round(255 + (c[ch] - 255) * strength);
      image.data[o + 3] = 255;
    }
  }
  const small = document.createElement('canvas');
  small.width = small.height = g.size;
  small.getContext('2d').putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(small, 0, 0, size, size);
  const px = (x) => ((x - g.x[0]) / (g.x[1] - g.x[0])) * size;
  const py = (y) => (1 - (y - g.y[0]) / (g.y[1] - g.y[0])) * size;
  a.points.forEach(([x, y, k], i) => {
    ctx.beginPath();
    ctx.arc(px(x), py(y), i === p.inspect ? 6 : 3.5, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${COLORS[k % COLORS.length].join(',')})`;
    ctx.fill();
    ctx.lineWidth = i === p.inspect ? 3 : 1;
    ctx.strokeStyle = i === p.inspect ? '#111' : '#fff';
    ctx.stroke();
  });
  canvas.onclick = (e) => {
    const r = canvas.getBoundingClientRect();
    const [cx, cy] = [((e.clientX - r.left) / r.width) * size, ((e.clientY - r.top) / r.height) * size];
    let best = 0, bestD = Infinity;
    a.points.forEach(([x, y], i) => {
      const d = (px(x) - cx) ** 2 + (py(y) - cy) ** 2;
      if (d < bestD) { bestD = d; best = i; }
    });
    p.inspect = best;
    run(0);
  };
}

function networkView() {
  const layers = p.network || [];
  return {
    inputs: ['x₁', 'x₂'].map((label) => ({ label, lines: [] })),
    layers: layers.map((l) => ({ neurons: l.weights.map((_, j) => ({ label: String(j + 1), lines: [] })) })),
    edge: (l, j, k) => {
      const w = layers[l].weights[j][k];
      return { mode: 'weight', value: w, title: `w = ${w}` };
    },
    total: null, labels: false, compact: true,
  };
}

function draw() {
  if (!built || !p.answer) return;
  const a = p.answer;
  const canvas = document.getElementById('regions');
  const size = Math.min(420, document.getElementById('regions-box').clientWidth || 420);
  canvas.width = canvas.height = Math.max(200, Math.round(size));
  regions(canvas);
  drawNetwork(document.getElementById('play-net'), networkView());
  drawCurve(document.getElementById('play-curve'), document.getElementById('play-readout'), p.losses, { height: 160 });
  const acc = a.accuracy === null ? '' : ` · ${t('accuracy', { accuracy: `${(a.accuracy * 100).toFixed(1)}%` })}`;
  document.getElementById('play-status').textContent =
    `${t('steps_done', { steps: p.losses.length })} · ${t('loss_now', { loss: loss(a.loss) })}${acc} · ${t('selected', { number: p.inspect + 1 })}`;
}

function controls() {
  const play = document.getElementById('play-toggle');
  if (!play) return;
  play.textContent = t(p.playing ? 'pause' : 'train');
  play.setAttribute('aria-pressed', String(p.playing));
  document.getElementById('play-inspect').disabled = p.playing || !p.answer;
}

function option(key, label, control) {
  control.addEventListener('change', (e) => {
    const v = e.target.value;
    p[key] = typeof p[key] === 'number' ? Number(v) : v;
    if (key !== 'learning_rate') restart();
  });
  return h('label', { class: 'field' }, h('span', { text: t(label) }), control);
}

/** Builds the playground's controls in the current language. */
export function renderPlayground() {
  const view = document.getElementById('view-play');
  const sel = (values, current) => h('select', {}, values.map((v) => h('option', { value: v, selected: v === current }, v)));
  const num = (v, attrs) => h('input', { type: 'number', step: 'any', value: String(v), class: 'num', ...attrs });
  view.replaceChildren(
    h('div', { class: 'col' },
      h('section', { class: 'card' },
        h('h2', { text: t('tab_play') }),
        h('p', { class: 'hint', text: t('play_summary') }),
        h('div', { class: 'fields' },
          option('dataset', 'dataset', sel(state.settings.choices.datasets, p.dataset)),
          option('noise', 'noise', num(p.noise, { min: 0, max: 1, step: 0.05 })),
          option('samples', 'count', num(p.samples, { min: 4, step: 1 })),
          option('seed', 'seed', num(p.seed, { min: 0, step: 1 })),
          option('hidden', 'hidden', h('input', { type: 'text', value: p.hidden, class: 'text', inputmode: 'numeric' })),
          option('activation', 'activation', sel(state.settings.choices.hidden_activations, p.activation)),
          option('learning_rate', 'learning_rate', num(p.learning_rate, { min: 0, step: 0.01 }))),
        h('div', { class: 'controls' },
          h('button', { type: 'button', id: 'play-toggle', class: 'primary', onclick: () => { p.playing = !p.playing; controls(); loop(); } }),
          h('button', { type: 'button', id: 'play-step', onclick: () => run(1) }, t('step_once')),
          h('button', { type: 'button', id: 'play-restart', onclick: () => { p.playing = false; controls(); restart(); } }, t('restart')),
          h('button', { type: 'button', id: 'play-inspect', onclick: inspect }, t('inspect'))),
        h('p', { class: 'hint', text: t('inspect_hint') }),
        h('p', { id: 'play-status', class: 'readout', 'aria-live': 'polite' })),
      h('section', { class: 'card' }, h('h2', { text: t('network') }), h('div', { id: 'play-net', class: 'net' }))),
    h('div', { class: 'col' },
      h('section', { class: 'card' }, h('h2', { text: t('regions') }),
        h('div', { id: 'regions-box', class: 'regions' }, h('canvas', { id: 'regions', width: 420, height: 420, 'aria-label': t('regions'), role: 'img' }))),
      h('section', { class: 'card' }, h('h2', { text: t('loss_curve') }),
        h('div', { id: 'play-curve', class: 'curve' }), h('p', { id: 'play-readout', class: 'readout', 'aria-live': 'polite' }))));
  built = true;
  controls();
  draw();
}

async function inspect() {
  const a = p.answer;
  if (!a || !a.spec) return;
  // The step-by-step tab, shown as its button shows it (main.js owns the tabs).
  document.getElementById('tab-explain').click();
  editSpec(a.spec, { rounds: 1, show: 1, order: 'textbook' });
}

/** Shows the playground, starting it on first use. */
export function showPlayground() {
  if (!built) renderPlayground();
  if (!p.answer) restart();
  else draw();
}
