// Invoices: each billing account of the tenant, its running period's draft and its closed invoices.
// Written to the billing routes' contract (/api/v1/billing/accounts/...); where a deployment has no
// billing routes yet, the page says so instead of failing.
import { get } from "./api.js";
import { h, table, alertBox, errorText, statusText } from "./ui.js";

export const title = "Invoices";

function money(minor, currency) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(2)} ${currency}`;
  }
}

async function accountSection(account) {
  const id = encodeURIComponent(account.id);
  const section = h("section", { "aria-labelledby": `acct-${account.id}`, "data-account": account.id },
    h("h2", { id: `acct-${account.id}` }, account.name),
    h("p", { className: "muted" }, `${account.owner_kind} ${account.owner_id} · ${account.status} · credits ${money(account.credit_balance, account.currency)}`));
  try {
    const [draft, closed] = await Promise.all([get(`billing/accounts/${id}/invoices/draft`), get(`billing/accounts/${id}/invoices?limit=24`)]);
    section.append(h("p", {}, `Running period ${draft.period}: `, h("strong", {}, money(draft.total_due, draft.currency)), " so far"));
    section.append(closed.items.length
      ? table(`Invoices of ${account.name}`, ["Number", "Period", "Status", "Subtotal", "Credits", "Total due"], closed.items.map((invoice) =>
        h("tr", {}, h("td", {}, invoice.number ?? "—"), h("td", {}, invoice.period), h("td", {}, statusText(invoice.status)),
          h("td", { className: "num" }, money(invoice.subtotal, invoice.currency)),
          h("td", { className: "num" }, money(invoice.credits_applied, invoice.currency)),
          h("td", { className: "num" }, money(invoice.total_due, invoice.currency)))))
      : h("p", { className: "muted" }, "No closed invoices yet."));
  } catch (error) {
    section.append(h("p", { className: "error" }, `Invoices unavailable: ${errorText(error)}`));
  }
  return section;
}

export function render(main) {
  const output = h("div", { id: "invoices-output" }, h("p", { className: "muted" }, "Loading billing accounts…"));
  main.append(output);
  (async () => {
    try {
      const accounts = (await get("billing/accounts")).items;
      output.replaceChildren(...(accounts.length
        ? await Promise.all(accounts.map(accountSection))
        : [h("p", { className: "muted" }, "No billing accounts yet.")]));
    } catch (error) {
      output.replaceChildren(error.code === "ROUTE_NOT_FOUND"
        ? h("p", { id: "billing-unavailable" }, "Billing is not available on this deployment.")
        : alertBox("Billing accounts could not be listed", h("p", {}, errorText(error))));
    }
  })();
  return null;
}
