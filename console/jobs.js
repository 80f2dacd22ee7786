// Jobs: the newest jobs with live progress bars, a form to submit one, and the tenant's
// statistics over a chosen window (success rate, run-time percentiles, counts by status).
import { get, post, query } from "./api.js";
import { h, table, alertBox, errorText, statusText, when, jobBar, announce, fmt } from "./ui.js";
import { barChart } from "./chart.js";
import { every } from "./poll.js";

export const title = "Jobs";

const ACTIVE = new Set(["queued", "running", "cancelling"]);
const WINDOWS = [[1, "Last hour"], [24, "Last 24 hours"], [168, "Last 7 days"], [720, "Last 30 days"]];

function seconds(value) {
  return value === null || value === undefined ? "—" : `${fmt(value)} s`;
}

function statsSection() {
  const windowSelect = h("select", { id: "stats-window" },
    WINDOWS.map(([hours, label]) => h("option", { value: hours, selected: hours === 24 }, label)));
  const output = h("div", { id: "stats-output", "aria-live": "polite" });
  async function load() {
    try {
      const stats = await get(`stats${query({ window_hours: windowSelect.value })}`);
      const rate = stats.success_rate === null ? "—" : `${fmt(stats.success_rate * 100)} %`;
      const durations = stats.duration_seconds;
      output.replaceChildren(
        h("ul", { className: "figures" },
          h("li", {}, h("strong", { id: "success-rate" }, rate), "success rate"),
          h("li", {}, h("strong", {}, String(stats.total)), "jobs"),
          h("li", {}, h("strong", {}, seconds(durations.p50)), "run time p50"),
          h("li", {}, h("strong", {}, seconds(durations.p90)), "run time p90"),
          h("li", {}, h("strong", {}, seconds(durations.p99)), "run time p99")),
        barChart("Jobs by status", Object.entries(stats.by_status).map(([status, count]) => [status.replaceAll("_", " "), count, String(count)])),
        barChart("Run-time percentiles (seconds)", ["p50", "p90", "p99"].map((p) => [p, durations[p] || 0, seconds(durations[p])])));
    } catch (error) {
      output.replaceChildren(alertBox("Statistics unavailable", h("p", {}, errorText(error))));
    }
  }
  windowSelect.addEventListener("change", load);
  const section = h("section", { "aria-labelledby": "stats-title" },
    h("h2", { id: "stats-title" }, "Statistics"),
    h("label", { htmlFor: "stats-window" }, "Window"), windowSelect, output);
  return { section, load };
}

function submitSection(onSubmitted) {
  const type = h("input", { type: "text", id: "job-type", required: true, value: "diagnostics.echo" });
  const name = h("input", { type: "text", id: "job-name", required: true, value: "console job" });
  const configuration = h("textarea", { id: "job-config", spellcheck: false }, '{"items": 100, "batch_size": 20}');
  const message = h("p", { id: "submit-message", role: "status" });
  const form = h("form", { onsubmit: async (event) => {
    event.preventDefault();
    let parsed;
    try { parsed = JSON.parse(configuration.value || "{}"); } catch {
      message.textContent = "The configuration is not valid JSON.";
      message.className = "error";
      configuration.focus();
      return;
    }
    try {
      const job = await post("jobs", { type: type.value, name: name.value, configuration: parsed });
      message.className = "";
      message.textContent = `Submitted ${job.name} (${job.id}).`;
      onSubmitted();
    } catch (error) {
      message.className = "error";
      message.textContent = errorText(error);
    }
  } },
  h("label", { htmlFor: "job-type" }, "Type"), type,
  h("label", { htmlFor: "job-name" }, "Name"), name,
  h("label", { htmlFor: "job-config" }, "Configuration (JSON)"), configuration,
  h("p", {}, h("button", { type: "submit" }, "Submit job")), message);
  return h("details", {}, h("summary", {}, "Submit a job"), form);
}

export function render(main) {
  const output = h("div", { id: "jobs-output" }, h("p", { className: "muted" }, "Loading jobs…"));
  const stats = statsSection();
  let bars = new Map();
  let shown = "";

  async function refresh() {
    let page;
    try {
      page = await get("jobs?limit=50");
    } catch (error) {
      output.replaceChildren(alertBox("Jobs could not be listed", h("p", {}, errorText(error))));
      return true;
    }
    const ids = page.items.map((job) => job.id).join();
    if (ids !== shown) {  // new or other jobs: redraw the table; else only move the bars
      shown = ids;
      bars = new Map();
      output.replaceChildren(page.items.length
        ? table("Newest jobs", ["Name", "Type", "Status", "Progress", "Processed", "Created"], page.items.map((job) => {
          const cells = { status: h("td", {}, statusText(job.status)), bar: jobBar(job),
            processed: h("td", { className: "num" }), percent: h("span", { className: "percent" }) };
          bars.set(job.id, cells);
          return h("tr", { "data-job": job.id },
            h("td", {}, h("a", { href: `#/jobs/${encodeURIComponent(job.id)}` }, job.name)),
            h("td", {}, job.type), cells.status,
            h("td", { className: "progress-cell" }, cells.bar, " ", cells.percent),
            cells.processed, h("td", {}, when(job.created_at)));
        }))
        : h("p", { className: "muted" }, "No jobs yet."));
    }
    let changed = false;
    for (const job of page.items) {
      const cells = bars.get(job.id);
      const percent = Math.round(job.progress.percent * 10) / 10;
      cells.bar.value = percent;
      cells.bar.title = `${percent}%`;
      cells.percent.textContent = `${percent}%`;
      cells.processed.textContent = `${job.progress.processed}${job.progress.total ? ` / ${job.progress.total}` : ""}${job.progress.failed ? ` (${job.progress.failed} failed)` : ""}`;
      const status = statusText(job.status);
      if (cells.status.textContent !== status.textContent) {
        cells.status.replaceChildren(status);
        changed = true;
        if (!ACTIVE.has(job.status)) announce(`${job.name} ${status.textContent}`);
      }
    }
    if (changed) stats.load();  // a job ended or started: the statistics moved
    return true;
  }

  main.append(
    h("section", { "aria-labelledby": "jobs-title" }, h("h2", { id: "jobs-title" }, "Recent jobs"),
      submitSection(() => { refresh(); }), output),
    stats.section);
  stats.load();
  return every(2, refresh);
}
