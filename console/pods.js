// Pods across every server, with their status; a server that did not answer is listed as an error.
import { get, query } from "./api.js";
import { h, table, alertBox, errorText, statusText, when } from "./ui.js";

export const title = "Pods";

export function render(main) {
  const filter = h("select", { id: "pod-status" },
    ["", "pending", "running", "succeeded", "failed", "unknown"].map((s) => h("option", { value: s }, s || "any")));
  const output = h("div", { id: "pods-output" });
  const more = h("button", { type: "button", className: "secondary", hidden: true }, "More pods");
  let cursor = null;
  let rows = [];
  let errors = new Map();
  let names = new Map();  // server id -> name, so rows and errors name servers as people do

  async function load(reset) {
    if (reset) { cursor = null; rows = []; errors = new Map(); }
    try {
      if (reset) {
        const servers = await get("servers?limit=100").catch(() => ({ items: [] }));
        names = new Map(servers.items.map((server) => [server.id, server.name]));
      }
      const page = await get(`pods${query({ limit: 50, cursor, status: filter.value })}`);
      rows.push(...page.items);
      for (const failure of page.errors) errors.set(failure.server_id, failure.reason);
      cursor = page.has_more ? page.next_cursor : null;
      more.hidden = !cursor;
      draw();
    } catch (error) {
      output.replaceChildren(alertBox("Pods could not be listed", h("p", {}, errorText(error))));
    }
  }

  function draw() {
    const parts = [];
    if (errors.size) {
      parts.push(alertBox("Partial listing: some servers did not answer",
        h("ul", { className: "pod-errors" }, [...errors].map(([server, reason]) =>
          h("li", { "data-server": server }, names.get(server) || h("code", {}, server), `: ${reason}`)))));
    }
    parts.push(rows.length
      ? table(`${rows.length} pods`, ["Name", "Server", "Status", "GPUs", "Image", "Created"], rows.map((pod) =>
        h("tr", { "data-pod": pod.id },
          h("td", {}, pod.name), h("td", {}, names.get(pod.server_id) || h("code", {}, pod.server_id)), h("td", {}, statusText(pod.status)),
          h("td", { className: "num" }, pod.resources.gpus), h("td", {}, pod.image), h("td", {}, when(pod.created_at)))))
      : h("p", { className: "muted" }, "No pods."));
    output.replaceChildren(...parts);
  }

  filter.addEventListener("change", () => load(true));
  more.addEventListener("click", () => load(false));
  main.append(
    h("div", { className: "form-row" }, h("div", {}, h("label", { htmlFor: "pod-status" }, "Status"), filter),
      h("button", { type: "button", className: "secondary", onclick: () => load(true) }, "Refresh")),
    output, more);
  load(true);
  return null;
}
