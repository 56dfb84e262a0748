// The loss curve: E_total before each round's update, on a log scale when it spans
// decades. Hovering, touching or the arrow keys read the exact value of any round.

import { t } from './i18n.js';
import { loss, s } from './util.js';

/**
 * Draws `losses` into `container`; `readout` shows the value under the cursor.
 * losses[i] is the loss of round `options.rounds[i]` (1-based), or of round i + 1
 * when `options.rounds` is absent. `options.marker` marks a round.
 */
export function drawCurve(container, readout, losses, options) {
  options = options || {};
  const width = Math.max(260, container.clientWidth || 480);
  const height = options.height || 200;
  const pad = { left: 58, right: 12, top: 10, bottom: 30 };
  const finite = losses.filter((v) => Number.isFinite(v) && v > 0);
  if (!finite.length) {
    container.replaceChildren();
    readout.textContent = '';
    return;
  }
  const lo = Math.min(...finite), hi = Math.max(...finite);
  const log = hi / lo > 50;
  const fy = log ? Math.log10 : (v) => v;
  const [y0, y1] = log ? [Math.floor(fy(lo)), Math.ceil(fy(hi))] : [0, hi * 1.05];
  const n = losses.length;
  const roundOf = (i) => (options.rounds ? options.rounds[i] : i + 1);
  const last = roundOf(n - 1);
  const px = (i) => pad.left + (last <= 1 ? 0 : ((roundOf(i) - 1) / (last - 1)) * (width - pad.left - pad.right));
  // The point nearest to round `r`.
  const nearest = (r) => {
    let lo = 0, hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (roundOf(mid) < r) lo = mid + 1; else hi = mid;
    }
    return lo > 0 && r - roundOf(lo - 1) < roundOf(lo) - r ? lo - 1 : lo;
  };
  const py = (v) => pad.top + (1 - (fy(v) - y0) / (y1 - y0 || 1)) * (height - pad.top - pad.bottom);

  const svg = s('svg', {
    viewBox: `0 0 ${width} ${height}`, width, height, class: 'curve-svg', tabindex: 0, role: 'img',
    'aria-label': t('curve_label'),
  });
  const axes = s('g', { class: 'axes' });
  const ticks = log
    ? [...Array(y1 - y0 + 1).keys()].map((i) => 10 ** (y0 + i))
    : [0, hi / 2, hi].map((v) => Number(v.toPrecision(2)));
  for (const tick of ticks) {
    const y = py(log ? tick : Math.max(tick, 0));
    axes.append(s('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }));
    axes.append(s('text', { x: pad.left - 6, y: y + 4, 'text-anchor': 'end' }, log ? `1e${Math.round(Math.log10(tick))}` : String(tick)));
  }
  axes.append(s('text', { x: pad.left, y: height - 8 }, '1'));
  axes.append(s('text', { x: width - pad.right, y: height - 8, 'text-anchor': 'end' }, `${last} ${t('rounds')}`));
  axes.append(s('text', { x: pad.left + 4, y: pad.top + 12, class: 'axis-name' }, t(log ? 'loss_axis' : 'loss_axis_linear')));
  let d = '';
  losses.forEach((v, i) => {
    if (!Number.isFinite(v) || v <= 0) return;
    d += `${d ? 'L' : 'M'}${px(i).toFixed(1)},${py(v).toFixed(1)}`;
  });
  svg.append(axes, s('path', { d, class: 'loss-line' }));
  const marked = options.marker ? nearest(options.marker) : -1;
  if (marked >= 0 && roundOf(marked) === options.marker && Number.isFinite(losses[marked])) {
    svg.append(s('circle', { cx: px(marked), cy: py(losses[marked]), r: 4, class: 'marker' }));
  }
  const cursor = s('g', { class: 'cursor', visibility: 'hidden' });
  const line = s('line', { y1: pad.top, y2: height - pad.bottom });
  const dot = s('circle', { r: 3.5 });
  cursor.append(line, dot);
  svg.append(cursor);

  let at = marked >= 0 ? marked : n - 1;
  const read = (i) => {
    at = Math.max(0, Math.min(n - 1, i));
    const v = losses[at];
    cursor.setAttribute('visibility', 'visible');
    line.setAttribute('x1', px(at));
    line.setAttribute('x2', px(at));
    dot.setAttribute('cx', px(at));
    dot.setAttribute('cy', Number.isFinite(v) && v > 0 ? py(v) : height - pad.bottom);
    readout.textContent = t('curve_hover', { round: roundOf(at), loss: loss(v) });
  };
  const fromPointer = (e) => {
    const r = svg.getBoundingClientRect();
    const x = ((e.clientX - r.left) / r.width) * width;
    read(nearest(1 + ((x - pad.left) / (width - pad.left - pad.right)) * (last - 1)));
  };
  svg.addEventListener('pointermove', fromPointer);
  svg.addEventListener('pointerdown', fromPointer);
  svg.addEventListener('keydown', (e) => {
    const big = Math.max(1, Math.round(n / 20));
    const moves = { ArrowLeft: -1, ArrowRight: 1, ArrowDown: -1, ArrowUp: 1, PageDown: -big, PageUp: big };
    if (e.key in moves) read(at + moves[e.key]);
    else if (e.key === 'Home') read(0);
    else if (e.key === 'End') read(n - 1);
    else return;
    e.preventDefault();
    e.stopPropagation();
  });
  svg.addEventListener('focus', () => read(at));
  container.replaceChildren(svg);
  read(at);
}
