// SVG charts with axes, units and a time range: line series (latency, queue depth) or stacked bars (counts).
"use strict";
HL.chart = function ({ title, unit, from, to, series, stacked }) {
  const width = 560, height = 220, left = 52, right = 30, top = 14, bottom = 34;
  const plotW = width - left - right, plotH = height - top - bottom;
  const el = HL.el;
  let max = 0;
  if (stacked) {
    const totals = {};
    for (const s of series) for (const [t, v] of s.points) totals[t] = (totals[t] || 0) + v;
    max = Math.max(0, ...Object.values(totals));
  } else for (const s of series) for (const [, v] of s.points) max = Math.max(max, v);
  max = HL.niceMax(max);
  const x = (t) => left + ((t - from) / (to - from)) * plotW;
  const y = (v) => top + plotH - (v / max) * plotH;
  const svg = el("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${title} (${unit})` });
  svg.append(el("title", {}, `${title} (${unit})`));
  for (let i = 0; i <= 4; i++) {
    const value = (max / 4) * i;
    svg.append(el("line", { class: "grid", x1: left, x2: width - right, y1: y(value), y2: y(value) }));
    svg.append(el("text", { x: left - 6, y: y(value) + 4, "text-anchor": "end" }, HL.compact(value)));
  }
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = from + ((to - from) / ticks) * i;
    svg.append(el("line", { class: "axis", x1: x(t), x2: x(t), y1: top + plotH, y2: top + plotH + 4 }));
    const label = new Date(t);
    const text = label.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    svg.append(el("text", { x: x(t), y: top + plotH + 16, "text-anchor": "middle" }, text));
  }
  svg.append(el("line", { class: "axis", x1: left, x2: width - right, y1: top + plotH, y2: top + plotH }));
  svg.append(el("line", { class: "axis", x1: left, x2: left, y1: top, y2: top + plotH }));
  svg.append(el("text", { x: 4, y: top + plotH / 2, transform: `rotate(-90 10 ${top + plotH / 2})`, "text-anchor": "middle" }, unit));
  if (stacked) {
    const base = {};
    for (const s of series) {
      for (const [t, v] of s.points) {
        if (!v) continue;
        const b = base[t] || 0, barW = Math.max(2, (plotW / s.points.length) - 2);
        svg.append(el("rect", { x: x(t) - barW / 2, y: y(b + v), width: barW, height: y(b) - y(b + v), fill: s.color },
          el("title", {}, `${s.name}: ${v} ${unit} at ${new Date(t).toLocaleTimeString()}`)));
        base[t] = b + v;
      }
    }
  } else {
    for (const s of series) {
      if (!s.points.length) continue;
      svg.append(el("polyline", { fill: "none", stroke: s.color, "stroke-width": 2, points: s.points.map(([t, v]) => `${x(t)},${y(v)}`).join(" ") }));
      for (const [t, v] of s.points) svg.append(el("circle", { cx: x(t), cy: y(v), r: 2.5, fill: s.color }, el("title", {}, `${s.name}: ${HL.compact(v)} ${unit} at ${new Date(t).toLocaleTimeString()}`)));
    }
  }
  const legend = el("div", { class: "legend" }, series.map((s) => el("span", {}, el("i", { style: `background:${s.color}` }), s.name)));
  return el("figure", { class: "panel", style: "margin:0" }, el("h2", {}, title), svg, legend);
};
HL.niceMax = function (value) {
  if (value <= 0) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(value)));
  for (const step of [1, 2, 2.5, 5, 10]) if (value <= step * power) return step * power;
  return 10 * power;
};
HL.compact = function (value) {
  if (value >= 1e6) return (value / 1e6).toFixed(1) + "M";
  if (value >= 1e3) return (value / 1e3).toFixed(value >= 1e4 ? 0 : 1) + "k";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
};
/** Splits [from, to) into `count` buckets; returns the bucket start times and an index function. */
HL.buckets = function (from, to, count) {
  const size = (to - from) / count;
  return { starts: Array.from({ length: count }, (_, i) => from + i * size), index: (t) => Math.floor((t - from) / size), size };
};
HL.percentile = function (sorted, p) {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
