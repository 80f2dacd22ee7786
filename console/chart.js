// A bar chart drawn as SVG (no library): one labelled bar a category, with a text alternative.
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

/** bars: [[label, value, shown text]]; the SVG is an img whose name lists every value. */
export function barChart(title, bars) {
  const width = 560, row = 28, left = 170, right = 70;
  const height = Math.max(1, bars.length) * row + 8;
  const max = Math.max(1, ...bars.map(([, value]) => value || 0));
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img",
    "aria-label": `${title}: ${bars.map(([label, , shown]) => `${label} ${shown}`).join(", ")}` });
  chart.append(svg("title", {}, title));
  bars.forEach(([label, value, shown], i) => {
    const y = 4 + i * row;
    const w = Math.round(((value || 0) / max) * (width - left - right));
    chart.append(
      svg("text", { x: left - 8, y: y + 17, "text-anchor": "end" }, label),
      svg("rect", { x: left, y: y + 4, width: Math.max(w, 1), height: row - 10, class: "bar" }),
      svg("text", { x: left + Math.max(w, 1) + 6, y: y + 17 }, shown));
  });
  return chart;
}
