// The editor, when a server answers: every input, target, weight, bias, the learning
// rate, the layers and the update order can be changed, and the engine recomputes
// the whole explanation (POST api/explain). The page computes nothing itself: a
// layer whose shape changes asks the engine to draw new weights ("init").
(function () {
  'use strict';
  const BP = window.BP;
  const h = BP.h;
  const ACTIVATIONS = ['sigmoid', 'tanh', 'relu', 'leaky_relu', 'identity', 'softmax'];
  const LOSSES = ['half_sse', 'mse', 'cross_entropy', 'binary_cross_entropy'];
  let spec = null, options = null, initial = null, shape = '', names = '';

  const copy = (x) => JSON.parse(JSON.stringify(x));
  const shapeOf = (sp) => JSON.stringify([sp.inputs, sp.layers.map((l) => [l.size, Array.isArray(l.bias)]), sp.samples.length]);

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
  const limit = (name) => (BP.settings.limits || {})[name];

  const field = (label, control) => h('label', { class: 'field' }, h('span', { text: label }), control);

  /** Sends the edited spec to the engine and shows what comes back. */
  const recompute = BP.debounce(async () => {
    const status = document.getElementById('editor-status');
    status.textContent = BP.t('working');
    try {
      const q = `rounds=${encodeURIComponent(options.rounds)}&show=${encodeURIComponent(options.show)}&order=${options.order}`;
      const data = await BP.post(`api/explain?${q}`, spec);
      BP.showError(null);
      spec = copy(data.explanation.network);
      BP.setData(data);
      // A new shape, or new names for the same shape (the tutorial's or systematic ones).
      if (shapeOf(spec) !== shape || JSON.stringify(data.labels) !== names) BP.renderEditor();
    } catch (e) {
      BP.showError(e.message);
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
      field(BP.t('order'), select(['textbook', 'published'], options.order, BP.t('order'), (v) => change(() => { options.order = v; }), (v) => BP.t(v))),
      field(BP.t('showRounds'), number(options.rounds, BP.t('showRounds'), (v) => change(() => { options.rounds = v; }), { min: 1, step: 1, max: limit('rounds') })),
      field(BP.t('showFull'), number(options.show, BP.t('showFull'), (v) => change(() => { options.show = v; }), { min: 1, step: 1, max: limit('show') })),
      field(BP.t('learningRate'), number(spec.learning_rate, 'η', (v) => change(() => { spec.learning_rate = v; }))),
      field(BP.t('loss'), select(LOSSES, spec.loss, BP.t('loss'), (v) => change(() => { spec.loss = v; }))),
      h('label', { class: 'field check' },
        h('input', { type: 'checkbox', checked: spec.train_bias !== false, onchange: (e) => change(() => { spec.train_bias = e.target.checked; }) }),
        h('span', { text: BP.t('trainBias') })),
      field(BP.t('inputs'), number(spec.inputs, BP.t('inputs'), (v) => change(() => { spec.inputs = v; fresh(0); BP.renderEditor(); }), { min: 1, step: 1, max: limit('neurons') })));
  }

  function layerBox(layer, l) {
    const labels = BP.data.labels;
    const last = l === spec.layers.length - 1;
    const head = h('div', { class: 'fields' },
      field(BP.t('neurons'), number(layer.size, `${BP.t('layerN', l + 1)} ${BP.t('neurons')}`, (v) => change(() => { layer.size = v; reshape(l); BP.renderEditor(); }), { min: 1, step: 1, max: limit('neurons') })),
      field(BP.t('activation'), select(ACTIVATIONS, layer.activation, `${BP.t('layerN', l + 1)} ${BP.t('activation')}`, (v) => change(() => { layer.activation = v; }))),
      !last && h('button', { type: 'button', class: 'small', onclick: () => change(() => { spec.layers.splice(l, 1); fresh(l); BP.renderEditor(); }) }, BP.t('removeLayer')));
    const biases = Array.isArray(layer.bias) ? layer.bias : [layer.bias ?? 0];
    const biasRow = h('div', { class: 'grid-row' }, h('span', { class: 'row-name', text: BP.t('bias') }),
      biases.map((b, j) => number(b, (labels.biases[l] || [])[j] || `b${j + 1}`, (v) => change(() => {
        if (Array.isArray(layer.bias)) layer.bias[j] = v; else layer.bias = v;
      }))));
    const rows = (layer.weights || []).map((row, j) => h('div', { class: 'grid-row' },
      h('span', { class: 'row-name', text: (labels.neurons[l] || [])[j] || String(j + 1) }),
      row.map((w, k) => {
        const name = ((labels.weights[l] || [])[j] || [])[k] || `w${j + 1},${k + 1}`;
        return h('label', { class: 'cell' }, h('span', { text: name }), number(w, name, (v) => change(() => { row[k] = v; })));
      })));
    return h('fieldset', { class: 'layer' }, h('legend', { text: BP.t('layerN', l + 1) }), head,
      h('div', { class: 'weights', role: 'group', 'aria-label': BP.t('weights') }, rows), biasRow);
  }

  function samplesBox() {
    const labels = BP.data.labels;
    const rows = spec.samples.map((smp, s) => h('div', { class: 'grid-row' },
      h('span', { class: 'row-name', text: `${BP.t('sample')} ${s + 1}` }),
      smp.input.map((x, k) => number(x, `${labels.inputs[k] || `x${k + 1}`}${spec.samples.length > 1 ? `[${s + 1}]` : ''}`, (v) => change(() => { smp.input[k] = v; }))),
      h('span', { class: 'arrow', text: '→' }),
      smp.target.map((t, j) => number(t, `${BP.t('target')} ${j + 1}${spec.samples.length > 1 ? `[${s + 1}]` : ''}`, (v) => change(() => { smp.target[j] = v; })))));
    return h('fieldset', { class: 'layer' }, h('legend', { text: `${BP.t('samples')}: ${BP.t('inputs')} → ${BP.t('targets')}` }), rows,
      h('div', { class: 'buttons' },
        h('button', { type: 'button', class: 'small', onclick: () => change(() => { spec.samples.push(copy(spec.samples[spec.samples.length - 1])); BP.renderEditor(); }) }, BP.t('addSample')),
        spec.samples.length > 1 && h('button', { type: 'button', class: 'small', onclick: () => change(() => { spec.samples.pop(); BP.renderEditor(); }) }, BP.t('removeSample'))));
  }

  /** Draws the editor's form from the current spec. */
  BP.renderEditor = function () {
    if (!spec) return;
    shape = shapeOf(spec);
    names = JSON.stringify(BP.data.labels);
    const addLayer = h('button', { type: 'button', class: 'small', onclick: () => change(() => {
      const at = spec.layers.length - 1;
      spec.layers.splice(at, 0, { size: 2, activation: 'sigmoid', init: 'xavier', bias: 0 });
      reshape(at);
      BP.renderEditor();
    }) }, BP.t('addLayer'));
    const reset = h('button', { type: 'button', class: 'small', onclick: () => change(() => {
      spec = copy(initial.spec);
      options = copy(initial.options);
      BP.renderEditor();
    }) }, BP.t('reset'));
    document.getElementById('editor-body').replaceChildren(
      settings(), ...spec.layers.map(layerBox), h('div', { class: 'buttons' }, addLayer, reset), samplesBox(),
      h('p', { id: 'editor-status', class: 'status', 'aria-live': 'polite' }));
  };

  /** Edits the explanation of `newSpec` (from the playground, say) from now on. */
  BP.editSpec = function (newSpec, newOptions) {
    spec = copy(newSpec);
    options = { ...options, ...newOptions };
    BP.renderEditor();
    recompute();
  };

  BP.initEditor = function () {
    spec = copy(BP.data.explanation.network);
    options = { rounds: BP.settings.rounds, show: BP.settings.show, order: BP.data.explanation.order };
    initial = { spec: copy(spec), options: copy(options) };
    document.getElementById('editor').hidden = false;
    BP.renderEditor();
  };
})();
