// Quality against cost and against latency: one point per run, inline SVG built with DOM APIs
// (createElementNS + textContent); labels are untrusted text and never parsed as markup.

import type { QualityPointView } from '../protocol/compare';
import { el } from './common/dom';
import { formatCost, formatMs } from './common/format';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 320;
const HEIGHT = 200;
const PAD = { left: 44, right: 16, top: 12, bottom: 36 };

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

interface Axis {
  title: string;
  value: (p: QualityPointView) => number | null;
  format: (v: number) => string;
}

function scale(min: number, max: number, from: number, to: number): (v: number) => number {
  const span = max - min || 1;
  return (v) => from + ((v - min) / span) * (to - from);
}

function chart(points: readonly QualityPointView[], axis: Axis): HTMLElement {
  const known = points.filter((p) => axis.value(p) !== null);
  const figure = el('figure', { className: 'chart' });
  const caption = el('figcaption', { text: `Pass rate vs ${axis.title}` });
  if (known.length === 0) {
    figure.append(caption, el('p', { className: 'muted', text: `No ${axis.title} known for these runs.` }));
    return figure;
  }
  const xs = known.map((p) => axis.value(p) as number);
  const xMin = Math.min(0, ...xs);
  const xMax = Math.max(...xs) * 1.1 || 1;
  const x = scale(xMin, xMax, PAD.left, WIDTH - PAD.right);
  const y = scale(0, 100, HEIGHT - PAD.bottom, PAD.top);
  const root = svg('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    width: WIDTH,
    height: HEIGHT,
    role: 'img',
    'aria-label': `Pass rate against ${axis.title}`,
  });
  root.append(
    svg('line', {
      class: 'axis',
      x1: PAD.left,
      y1: HEIGHT - PAD.bottom,
      x2: WIDTH - PAD.right,
      y2: HEIGHT - PAD.bottom,
    }),
    svg('line', { class: 'axis', x1: PAD.left, y1: PAD.top, x2: PAD.left, y2: HEIGHT - PAD.bottom }),
    svg('text', { class: 'tick', x: PAD.left - 4, y: y(100) + 4, 'text-anchor': 'end' }, '100%'),
    svg('text', { class: 'tick', x: PAD.left - 4, y: y(0), 'text-anchor': 'end' }, '0%'),
    svg('text', { class: 'tick', x: PAD.left, y: HEIGHT - PAD.bottom + 14, 'text-anchor': 'start' }, axis.format(xMin)),
    svg(
      'text',
      { class: 'tick', x: WIDTH - PAD.right, y: HEIGHT - PAD.bottom + 14, 'text-anchor': 'end' },
      axis.format(xMax),
    ),
    svg(
      'text',
      { class: 'axis-title', x: (PAD.left + WIDTH - PAD.right) / 2, y: HEIGHT - 4, 'text-anchor': 'middle' },
      axis.title,
    ),
  );
  known.forEach((p, i) => {
    const cx = x(axis.value(p) as number);
    const cy = y(p.passRate);
    const group = svg('g', { class: `point point-${i % 8}` });
    group.append(
      svg('title', {}, `${p.label}: ${p.passRate.toFixed(1)}% pass, ${axis.format(axis.value(p) as number)}`),
      svg('circle', { cx, cy, r: 5 }),
      // Labels right of the middle grow leftwards so they stay inside the chart; the top one goes below its dot.
      svg(
        'text',
        {
          class: 'point-label',
          x: cx > WIDTH / 2 ? cx - 8 : cx + 8,
          y: cy < PAD.top + 14 ? cy + 16 : cy - 8,
          'text-anchor': cx > WIDTH / 2 ? 'end' : 'start',
        },
        p.label.length > 28 ? `${p.label.slice(0, 27)}…` : p.label,
      ),
    );
    root.append(group);
  });
  figure.append(caption, root);
  const missing = points.length - known.length;
  if (missing)
    figure.append(
      el('p', { className: 'muted', text: `${missing} run(s) without a known ${axis.title} are not plotted.` }),
    );
  return figure;
}

export function qualityCharts(points: readonly QualityPointView[]): HTMLElement {
  return el('section', { className: 'charts', attrs: { 'aria-label': 'Quality against cost and latency' } }, [
    chart(points, { title: 'cost (USD)', value: (p) => p.costUsd, format: (v) => formatCost(v) }),
    chart(points, { title: 'mean latency', value: (p) => p.meanLatencyMs, format: (v) => formatMs(v) }),
  ]);
}
