// Servers: each registered cluster with its capacity, what is allocated and the free GPUs (bars).
import { get } from "./api.js";
import { h, meterRow, alertBox, errorText, fmt } from "./ui.js";
import { every } from "./poll.js";

export const title = "Servers";

const RESOURCES = [
  ["nvidia.com/gpu", "GPUs", ""],
  ["cpu", "CPU", " cores"],
  ["memory_gb", "Memory", " GiB"],
];

function card(server, list) {
  const body = h("div", { className: "usage" }, h("p", { className: "muted" }, "Measuring…"));
  const item = h("li", { className: "card", "data-server": server.id, "aria-labelledby": `srv-${server.id}` },
    h("h2", { id: `srv-${server.id}` }, server.name),
    h("p", { className: "muted" }, server.api_url),
    body);
  list.append(item);
  if (server.kind === "openstack") {  // a cloud's capacity is not a cluster's: its page is Clouds
    body.replaceChildren(h("p", {}, "OpenStack cloud: see ", h("a", { href: "#/clouds" }, "Clouds"), "."));
    return async () => {};
  }
  return async () => {
    try {
      const usage = await get(`servers/${encodeURIComponent(server.id)}/usage`);
      const gpus = usage.resources["nvidia.com/gpu"] || { capacity: 0, allocated: 0, free: 0 };
      body.replaceChildren(
        h("p", { className: "free-gpus" }, h("strong", {}, fmt(gpus.free)), ` free GPUs · ${usage.node_count} nodes · ${usage.pod_count} pods`),
        ...RESOURCES.filter(([name]) => usage.resources[name])
          .map(([name, label, unit]) => meterRow(label, usage.resources[name].allocated, usage.resources[name].capacity, unit)));
    } catch (error) {
      body.replaceChildren(h("p", { className: "error" }, `Usage unavailable: ${errorText(error)}`));
    }
  };
}

export function render(main) {
  const list = h("ul", { className: "cards", "aria-label": "Servers" });
  const note = h("p", { className: "muted" }, "Loading servers…");
  main.append(note, list);
  let refreshers = [];
  return every(15, async () => {
    if (!refreshers.length) {
      try {
        const servers = [];
        let cursor = null;
        do {
          const page = await get(`servers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
          servers.push(...page.items);
          cursor = page.has_more ? page.next_cursor : null;
        } while (cursor);
        note.textContent = servers.length ? `${servers.length} server${servers.length === 1 ? "" : "s"}.` : "No servers registered yet.";
        refreshers = servers.map((server) => card(server, list));
      } catch (error) {
        note.replaceWith(alertBox("Servers could not be listed", h("p", {}, errorText(error))));
        return false;
      }
    }
    await Promise.all(refreshers.map((refresh) => refresh()));
  });
}
