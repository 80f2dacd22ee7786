// Clouds: each OpenStack cloud the tenant registered (a server of kind "openstack"), with its
// users and its teams (projects). Written to the clouds routes' contract (/api/v1/clouds/{id}/...).
import { get } from "./api.js";
import { h, table, alertBox, errorText } from "./ui.js";

export const title = "Clouds";

async function listServers() {
  const servers = [];
  let cursor = null;
  do {
    const page = await get(`servers?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    servers.push(...page.items);
    cursor = page.has_more ? page.next_cursor : null;
  } while (cursor);
  return servers;
}

async function cloudSection(cloud) {
  const id = encodeURIComponent(cloud.id);
  const section = h("section", { "aria-labelledby": `cloud-${cloud.id}`, "data-cloud": cloud.id },
    h("h2", { id: `cloud-${cloud.id}` }, cloud.name));
  const [users, teams] = await Promise.allSettled([get(`clouds/${id}/users`), get(`clouds/${id}/teams`)]);
  section.append(users.status === "fulfilled"
    ? table(`Users of ${cloud.name}`, ["Name", "Display name", "Email", "Enabled"], users.value.items.map((user) =>
      h("tr", {}, h("td", {}, user.name), h("td", {}, user.display_name || "—"), h("td", {}, user.email || "—"),
        h("td", {}, user.enabled ? "yes" : "no"))))
    : h("p", { className: "error" }, `Users unavailable: ${errorText(users.reason)}`));
  section.append(teams.status === "fulfilled"
    ? table(`Teams of ${cloud.name}`, ["Name", "Description", "Billing account"], teams.value.items.map((team) =>
      h("tr", {}, h("td", {}, team.name), h("td", {}, team.description || "—"), h("td", {}, h("code", {}, team.billing_account_id || "—")))))
    : h("p", { className: "error" }, `Teams unavailable: ${errorText(teams.reason)}`));
  return section;
}

export function render(main) {
  const output = h("div", { id: "clouds-output" }, h("p", { className: "muted" }, "Loading clouds…"));
  main.append(output);
  (async () => {
    try {
      const clouds = (await listServers()).filter((server) => server.kind === "openstack");
      output.replaceChildren(...(clouds.length
        ? await Promise.all(clouds.map(cloudSection))
        : [h("p", { id: "no-clouds" }, "No OpenStack clouds registered.")]));
    } catch (error) {
      output.replaceChildren(alertBox("Clouds could not be listed", h("p", {}, errorText(error))));
    }
  })();
  return null;
}
