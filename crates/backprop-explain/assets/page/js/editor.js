// The editor, when a server answers: every input, target, weight, bias, the learning
// rate, the layers and the update order can be changed, and the engine recomputes
// the whole explanation (POST api/explain). The page computes nothing itself: a
// layer whose shape changes asks the engine to draw new weights ("init").

import { setData } from './explain.js';
import { t } from './i18n.js';
import { state } from './state.js';
import { debounce, h, post, showError } from './util.js';

// The names come with the page's settings, from the engine's own lists.
const choices = () => state.settings.choices;
let spec = null, options = null, initial = null, shape = '', names = '';

const copy = (x) => JSON.parse(JSON.stringify(x));
// What the form's fields depend on: the shape, and which settings the optimizer has.
const shapeOf = (sp) => JSON.stringify([sp.inputs, sp.layers.map((l) => [l.size, Array.isArray(l.bias)]), sp.samples.length,
  Object.keys(sp.optimizer || {})]);

function number(value, label, onchange, attrs) {
  return h('input', {
    type: 'number', step: 'any', value: String(value), 'aria-label': label, class: 'num', ...attrs,
    onchange: (e) => onchange(e.target.value === '' || Number.isNaN(Number(e.target.value)) ? e.target.value : Number(e.target.value)),
  });
}

function select(values, current, label, onchange, names) {
  return h('select', { 'aria-label': label, onchange: (e) => onchange(e.target.value) },
    values.map((v) => h('option', { value: v, selected: v === current }, names ? names(v) : v)));
}

/** The server's limit `name`, for a form field's max (the server checks it anyway). */
const limit = (name) => (state.settings.limits || {})[name];

const field = (label, control) => h('label', { class: 'field' }, h('span', { text: label }), control);

/** Sends the edited spec to the engine and shows what comes back. */
const recompute = debounce(async () => {
  const status = document.getElementById('editor-status');
  status.textContent = t('working');
  try {
    const q = `rounds=${encodeURIComponent(options.rounds)}&show=${encodeURIComponent(options.show)}&order=${options.order}`;
    const data = await post(`api/explain?${q}`, spec);
    showError(null);
    spec = copy(data.explanation.network);
    setData(data);
    // A new shape, or new names for the same shape (the tutorial's or systematic ones).
    if (shapeOf(spec) !== shape || JSON.stringify(data.labels) !== names) renderEditor();
  } catch (e) {
    showError(e.message);
  } finally {
    status.textContent = '';
  }
}, 250);

function change(f) {
  f();
  recompute();
}

/** A layer's shape changed: the engine draws its weights (and the next layer's). */
function reshape(l) {
  fresh(l);
  fresh(l + 1);
}

/** Layer `i` gets weights drawn by the engine, and a bias of its size. */
function fresh(i) {
  const layer = spec.layers[i];
  if (layer) {
    delete layer.weights;
    layer.init = 'xavier';
    if (Array.isArray(layer.bias)) layer.bias = Array.from({ length: layer.size }, (_, j) => layer.bias[j] ?? 0);
  }
  spec.seed = spec.seed ?? 0;
  const outputs = spec.layers[spec.layers.length - 1].size;
  for (const s of spec.samples) {
    s.input = Array.from({ length: spec.inputs }, (_, k) => s.input[k] ?? 0);
    s.target = Array.from({ length: outputs }, (_, j) => s.target[j] ?? 0);
  }
}

function settings() {
  return h('div', { class: 'fields' },
    field(t('order'), select(['textbook', 'published'], options.order, t('order'), (v) => change(() => { options.order = v; }), (v) => t(v))),
    field(t('show_rounds'), number(options.rounds, t('show_rounds'), (v) => change(() => { options.rounds = v; }), { min: 1, step: 1, max: limit('rounds') })),
    field(t('show_full'), number(options.show, t('show_full'), (v) => change(() => { options.show = v; }), { min: 1, step: 1, max: limit('show') })),
    field(t('learning_rate'), number(spec.learning_rate, 'η', (v) => change(() => { spec.learning_rate = v; }))),
    ...optimizerFields(),
    field(t('loss'), select(choices().losses, spec.loss, t('loss'), (v) => change(() => { spec.loss = v; }))),
    h('label', { class: 'field check' },
      h('input', { type: 'checkbox', checked: spec.train_bias !== false, onchange: (e) => change(() => { spec.train_bias = e.target.checked; }) }),
      h('span', { text: t('train_bias') })),
    field(t('inputs'), number(spec.inputs, t('inputs'), (v) => change(() => { spec.inputs = v; fresh(0); renderEditor(); }), { min: 1, step: 1, max: limit('neurons') })));
}

/**
 * The optimizer and its settings. Choosing a kind sends only the kind: the engine
 * answers with the spec as run, its settings' defaults written out, and those become
 * the fields.
 */
function optimizerFields() {
  const kind = spec.optimizer ? spec.optimizer.kind : 'sgd';
  const choose = (v) => change(() => {
    if (v === 'sgd') delete spec.optimizer;
    else spec.optimizer = { kind: v };
    renderEditor();
  });
  const settings = Object.keys(spec.optimizer || {}).filter((f) => f !== 'kind').map((f) => {
    const symbol = quantitySymbol(`network.optimizer.${f}`) || f;
    return field(`${symbol} (${f})`, number(spec.optimizer[f], `${t('optimizer')} ${f}`, (v) => change(() => { spec.optimizer[f] = v; })));
  });
  return [field(t('optimizer'), select(choices().optimizers, kind, t('optimizer'), choose)), ...settings];
}

/** The symbol of quantity `key` in the data shown, if it has one. */
const quantitySymbol = (key) => state.data.quantities[key]?.text;

function layerBox(layer, l) {
  const labels = state.data.labels;
  const last = l === spec.layers.length - 1;
  const head = h('div', { class: 'fields' },
    field(t('neurons'), number(layer.size, `${t('layer', { number: l + 1 })} ${t('neurons')}`, (v) => change(() => { layer.size = v; reshape(l); renderEditor(); }), { min: 1, step: 1, max: limit('neurons') })),
    field(t('activation'), select(choices().activations, layer.activation, `${t('layer', { number: l + 1 })} ${t('activation')}`, (v) => change(() => { layer.activation = v; }))),
    !last && h('button', { type: 'button', class: 'small', onclick: () => change(() => { spec.layers.splice(l, 1); fresh(l); renderEditor(); }) }, t('remove_layer')));
  const biases = Array.isArray(layer.bias) ? layer.bias : [layer.bias ?? 0];
  const biasRow = h('div', { class: 'grid-row' }, h('span', { class: 'row-name', text: t('bias') }),
    biases.map((b, j) => number(b, (labels.biases[l] || [])[j] || `b${j + 1}`, (v) => change(() => {
      if (Array.isArray(layer.bias)) layer.bias[j] = v; else layer.bias = v;
    }))));
  const rows = (layer.weights || []).map((row, j) => h('div', { class: 'grid-row' },
    h('span', { class: 'row-name', text: (labels.neurons[l] || [])[j] || String(j + 1) }),
    row.map((w, k) => {
      const name = ((labels.weights[l] || [])[j] || [])[k] || `w${j + 1},${k + 1}`;
      return h('label', { class: 'cell' }, h('span', { text: name }), number(w, name, (v) => change(() => { row[k] = v; })));
    })));
  return h('fieldset', { class: 'layer' }, h('legend', { text: t('layer', { number: l + 1 }) }), head,
    h('div', { class: 'weights', role: 'group', 'aria-label': t('weights') }, rows), biasRow);
}

function samplesBox() {
  const labels = state.data.labels;
  const rows = spec.samples.map((smp, s) => h('div', { class: 'grid-row' },
    h('span', { class: 'row-name', text: `${t('sample')} ${s + 1}` }),
    smp.input.map((x, k) => number(x, `${labels.inputs[k] || `x${k + 1}`}${spec.samples.length > 1 ? `[${s + 1}]` : ''}`, (v) => change(() => { smp.input[k] = v; }))),
    h('span', { class: 'arrow', text: '→' }),
    smp.target.map((y, j) => number(y, `${t('target')} ${j + 1}${spec.samples.length > 1 ? `[${s + 1}]` : ''}`, (v) => change(() => { smp.target[j] = v; })))));
  return h('fieldset', { class: 'layer' }, h('legend', { text: `${t('samples')}: ${t('inputs')} → ${t('targets')}` }), rows,
    h('div', { class: 'buttons' },
      h('button', { type: 'button', class: 'small', onclick: () => change(() => { spec.samples.push(copy(spec.samples[spec.samples.length - 1])); renderEditor(); }) }, t('add_sample')),
      spec.samples.length > 1 && h('button', { type: 'button', class: 'small', onclick: () => change(() => { spec.samples.pop(); renderEditor(); }) }, t('remove_sample'))));
}

/** Draws the editor's form from the current spec. */
export function renderEditor() {
  if (!spec) return;
  shape = shapeOf(spec);
  names = JSON.stringify(state.data.labels);
  const addLayer = h('button', { type: 'button', class: 'small', onclick: () => change(() => {
    const at = spec.layers.length - 1;
    spec.layers.splice(at, 0, { size: 2, activation: 'sigmoid', init: 'xavier', bias: 0 });
    reshape(at);
    renderEditor();
  }) }, t('add_layer'));
  const reset = h('button', { type: 'button', class: 'small', onclick: () => change(() => {
    spec = copy(initial.spec);
    options = copy(initial.options);
    renderEditor();
  }) }, t('reset'));
  document.getElementById('editor-body').replaceChildren(
    settings(), ...spec.layers.map(layerBox), h('div', { class: 'buttons' }, addLayer, reset), samplesBox(),
    h('p', { id: 'editor-status', class: 'status', 'aria-live': 'polite' }));
}

/** Edits the explanation of `newSpec` (from the playground, say) from now on. */
export function editSpec(newSpec, newOptions) {
  spec = copy(newSpec);
  options = { ...options, ...newOptions };
  renderEditor();
  recompute();
}

export function initEditor() {
  spec = copy(state.data.explanation.network);
  options = { rounds: state.settings.rounds, show: state.settings.show, order: state.data.explanation.order };
  initial = { spec: copy(spec), options: copy(options) };
  document.getElementById('editor').hidden = false;
  renderEditor();
}
