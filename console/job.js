// One job: its facts and live progress, its events (the JobMessages) and its results to download.
import { get, request } from "./api.js";
import { h, alertBox, errorText, statusText, when, jobBar, announce } from "./ui.js";
import { every } from "./poll.js";

export const title = () => "Job";
const FINISHED = new Set(["completed", "completed_with_errors", "failed"]);
const TERMINAL = new Set([...FINISHED, "cancelled"]);

async function download(job, format, message) {
  try {
    const response = await request(`jobs/${encodeURIComponent(job.id)}/results?format=${format}`,
      { accept: format === "csv" ? "text/csv" : "application/json", redirect: "manual" });
    if (response.type === "opaqueredirect") {
      // Large results redirect to a storage URL, which this page's CSP (connect-src 'self') does not reach.
      message.textContent = "These results are too large to download here: use the cloudplane CLI or curl.";
      return;
    }
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: `${job.id}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    message.textContent = `Downloaded ${job.id}.${format}.`;
  } catch (error) {
    message.textContent = `Download failed: ${errorText(error)}`;
  }
}

export function render(main, [jobId]) {
  const facts = h("dl", { className: "facts" });
  const barSlot = h("div", { className: "meter-row" });
  const actions = h("div", { className: "form-row" });
  const downloadMessage = h("p", { role: "status" });
  const log = h("pre", { className: "log", tabIndex: 0, "aria-label": "Job events" });
  const crumbs = h("p", {}, h("a", { href: "#/jobs" }, "All jobs"));
  main.append(crumbs, facts, barSlot, actions, downloadMessage,
    h("section", { "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Events"), log));
  let last = "";

  return every(2, async () => {
    let job;
    try {
      job = await get(`jobs/${encodeURIComponent(jobId)}`);
    } catch (error) {
      main.replaceChildren(h("h1", {}, "Job"), crumbs, alertBox("This job could not be read", h("p", {}, errorText(error))));
      return false;
    }
    document.getElementById("page-title").textContent = `Job ${job.name}`;
    const percent = Math.round(job.progress.percent * 10) / 10;
    facts.replaceChildren(
      h("dt", {}, "Id"), h("dd", {}, h("code", {}, job.id)),
      h("dt", {}, "Type"), h("dd", {}, job.type),
      h("dt", {}, "Status"), h("dd", { id: "job-status" }, statusText(job.status)),
      h("dt", {}, "Processed"), h("dd", {}, `${job.progress.processed}${job.progress.total ? ` of ${job.progress.total}` : ""}, ${job.progress.failed} failed`),
      h("dt", {}, "Created"), h("dd", {}, when(job.created_at)),
      h("dt", {}, "Completed"), h("dd", {}, when(job.completed_at)),
      ...(job.error ? [h("dt", {}, "Error"), h("dd", { className: "error" }, `${job.error.message} (${job.error.code})`)] : []));
    barSlot.replaceChildren(h("p", { className: "bar-label" }, "Progress ", h("span", { id: "job-percent" }, `${percent}%`)), jobBar(job));
    if (FINISHED.has(job.status) && !actions.childElementCount) {
      actions.append(
        h("button", { type: "button", onclick: () => download(job, "csv", downloadMessage) }, "Download CSV"),
        h("button", { type: "button", className: "secondary", onclick: () => download(job, "json", downloadMessage) }, "Download JSON"));
      announce(`Job ${job.status.replaceAll("_", " ")}`);
    }
    try {
      const events = await get(`jobs/${encodeURIComponent(jobId)}/logs?limit=100`);
      const text = events.items.map((event) => {
        const m = event.message;
        const progress = m.progress ? ` ${Math.round(m.progress.percent ?? 0)}%` : "";
        const error = m.error ? ` ${m.error.code}: ${m.error.message}` : "";
        return `${m.timestamp || ""}  ${m.message_type || "event"}  ${m.status || ""}${progress}${error}`.trim();
      }).join("\n");
      if (text !== last) { log.textContent = text || "No events yet."; last = text; }
    } catch (error) {
      log.textContent = `Events unavailable: ${errorText(error)}`;
    }
    return !TERMINAL.has(job.status);
  });
}
