// Draws a dense network as SVG from a "view": labels, the values to show beside each
// neuron, and what each edge stands for (a weight, or after the backward pass its
// gradient: colour for the sign, thickness for the size). The view decides what is
// shown; this file only lays it out.

import { t } from './i18n.js';
import { linkQuantity, s, short } from './util.js';

/**
 * view = {
 *   inputs: [{label, lines: [{name, value, key}]}],
 *   layers: [{neurons: [{label, lines, title}], highlight}],
 *   edge(l, j, k) -> {mode: 'weight'|'grad', value, label, key, title},
 *   total: {name, value, key} | null,
 *   labels: bool (write a label on each edge),
 *   compact: bool (no values beside the neurons),
 * }
 */
export function drawNetwork(container, view) {
  const width = Math.max(300, container.clientWidth || 640);
  const columns = [view.inputs.length, ...view.layers.map((l) => l.neurons.length)];
  const tallest = Math.max(...columns);
  const lineCount = view.compact ? 0 : Math.max(1, ...view.layers.flatMap((l) => l.neurons.map((n) => n.lines.length)));
  const rowGap = view.compact ? 26 : 70 + 15 * lineCount;
  const height = Math.min(760, Math.max(view.compact ? 180 : 260, tallest * rowGap + 30));
  const left = view.compact ? 24 : 56;
  const right = view.compact ? 24 : Math.min(90, width * 0.16);
  const colGap = (width - left - right) / Math.max(1, columns.length - 1);
  const radius = Math.max(6, Math.min(22, colGap * 0.16, (height - 40) / tallest * 0.3));
  const x = (c) => left + c * colGap;
  const y = (c, i) => {
    const n = columns[c];
    const gap = Math.min((height - 40) / n, rowGap * 1.6);
    return height / 2 + (i - (n - 1) / 2) * gap - (view.compact ? 0 : 8 * lineCount);
  };

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, class: 'network', role: 'group',
    'aria-label': t('network'),
  });
  const edges = s('g', { class: 'edges' });
  const labels = s('g', { class: 'edge-labels' });
  const nodes = s('g', { class: 'nodes' });
  svg.append(edges, labels, nodes);

  view.layers.forEach((layer, l) => {
    const weights = layer.neurons.map((_, j) => columns[l] && [...Array(columns[l]).keys()].map((k) => view.edge(l, j, k)));
    const biggest = Math.max(1e-12, ...weights.flat().map((e) => Math.abs(e.value || 0)));
    weights.forEach((row, j) => row.forEach((e, k) => {
      const [x1, y1, x2, y2] = [x(l), y(l, k), x(l + 1), y(l + 1, j)];
      const size = Math.abs(e.value || 0) / biggest;
      const cls = `edge ${e.mode} ${(e.value || 0) >= 0 ? 'pos' : 'neg'}${layer.highlight ? ' hl' : ''}`;
      const line = s('line', { x1, y1, x2, y2, class: cls, 'stroke-width': (e.mode === 'grad' ? 1 + 7 * Math.sqrt(size) : 0.8 + 3 * size).toFixed(2) });
      const hit = s('line', { x1, y1, x2, y2, class: 'hit', 'aria-label': e.title }, s('title', { text: e.title }));
      if (e.key) linkQuantity(hit, e.key);
      edges.append(line, hit);
      if (view.labels && e.label) {
        // Along the edge, just clear of its source, so that the edges leaving one
        // neuron keep their labels apart.
        const length = Math.hypot(x2 - x1, y2 - y1);
        const along = Math.min(0.5, (radius + e.label.length * 3.3 + 6) / length);
        const [lx, ly] = [x1 + (x2 - x1) * along, y1 + (y2 - y1) * along];
        const angle = (Math.atan2(y2 - y1, x2 - x1) * 180) / Math.PI;
        const text = s('text', {
          x: lx, y: ly - 4, class: `edge-label${layer.highlight ? ' hl' : ''}`,
          'text-anchor': 'middle', transform: `rotate(${angle.toFixed(1)} ${lx.toFixed(1)} ${ly.toFixed(1)})`,
        }, e.label);
        if (e.key) linkQuantity(text, e.key);
        text.setAttribute('aria-label', e.title);
        labels.append(text);
      }
    }));
  });

  const drawNode = (c, i, n, kind) => {
    const cx = x(c), cy = y(c, i);
    const g = s('g', { class: `node ${kind}${n.highlight ? ' hl' : ''}` });
    g.append(s('circle', { cx, cy, r: radius }, s('title', { text: n.title || n.label })));
    if (radius >= 13) g.append(s('text', { x: cx, y: cy + 4, 'text-anchor': 'middle', class: 'node-label' }, n.label));
    if (!view.compact) {
      n.lines.forEach((line, row) => {
        const text = s('text', {
          x: cx, y: cy + radius + 14 + row * 15, 'text-anchor': 'middle',
          class: `value${line.pending ? ' pending' : ''}`,
        }, `${line.name} ${line.pending ? '?' : short(line.value)}`);
        if (line.key && !line.pending) linkQuantity(text, line.key);
        text.setAttribute('aria-label', `${n.label} ${line.name} ${line.pending ? '' : short(line.value)}`);
        g.append(text);
      });
    }
    nodes.append(g);
  };
  view.inputs.forEach((n, k) => drawNode(0, k, n, 'input'));
  view.layers.forEach((layer, l) => layer.neurons.forEach((n, j) => drawNode(l + 1, j, { ...n, highlight: layer.highlight }, 'neuron')));

  if (view.total) {
    const last = columns.length - 1;
    const text = s('text', {
      x: Math.min(width - 8, x(last) + radius + 12), y: height - 12, 'text-anchor': 'end',
      class: `total value${view.total.highlight ? ' hl' : ''}`,
    }, `${view.total.name} = ${short(view.total.value)}`);
    linkQuantity(text, view.total.key);
    nodes.append(text);
  }
  container.replaceChildren(svg);
  return svg;
}
