// Small DOM helpers: elements are built with properties, never from HTML strings (no injection).

/** h("td", {className: "num"}, "3") -> <td class="num">3</td>; children may be nodes, text or arrays. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) el.addEventListener(name.slice(2), value);
    else if (name in el && !name.includes("-")) el[name] = value;
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

let uid = 0;
export const nextId = (prefix) => `${prefix}-${++uid}`;

/** A labelled <meter> row: "GPUs  2 of 4 free". */
export function meterRow(label, used, capacity, unit = "") {
  const id = nextId("m");
  const free = Math.max(0, capacity - used);
  return h("div", { className: "meter-row" },
    h("label", { htmlFor: id },
      h("span", {}, label),
      h("span", { className: "muted" }, `${fmt(free)}${unit} of ${fmt(capacity)}${unit} free`)),
    h("meter", { id, min: 0, max: capacity || 1, value: used, low: capacity * 0.7, high: capacity * 0.9,
      optimum: 0, title: `${fmt(used)}${unit} allocated` }));
}

/** A labelled <progress> for a job: the label names the job, the text says the percent. */
export function jobBar(job) {
  const percent = Math.round(job.progress.percent * 10) / 10;
  return h("progress", { max: 100, value: percent, "aria-label": `Progress of ${job.name}`,
    "data-job": job.id, title: `${percent}%` }, `${percent}%`);
}

export function fmt(value) {
  if (typeof value !== "number") return String(value ?? "");
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "—";
}

export function statusText(status) {
  return h("span", { className: `status status-${status}` }, String(status).replaceAll("_", " "));
}

/** A table in a focusable scroll region (keyboard users can scroll it on a narrow screen). */
export function table(caption, headings, rows) {
  return h("div", { className: "table-wrap", tabIndex: 0, role: "region", "aria-label": caption },
    h("table", {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows)));
}

export function alertBox(title, ...body) {
  return h("div", { className: "alert", role: "alert" }, h("h2", {}, title), ...body);
}

export function announce(text) {
  const status = document.getElementById("status");
  if (status) status.textContent = text;
}

export function errorText(error) {
  return error && error.code ? `${error.message} (${error.code})` : String(error && error.message || error);
}
