// The console's shell: sign-in, navigation between pages (hash routes) and page lifecycle.
import { get, session } from "./api.js";
import { h, announce, errorText } from "./ui.js";
import * as servers from "./servers.js";
import * as pods from "./pods.js";
import * as jobs from "./jobs.js";
import * as job from "./job.js";
import * as invoices from "./invoices.js";
import * as clouds from "./clouds.js";

// One entry a page: [hash pattern, module]. A page module exports title and render(main, params) -> stop().
const ROUTES = [
  [/^#\/servers$/, servers],
  [/^#\/pods$/, pods],
  [/^#\/jobs$/, jobs],
  [/^#\/jobs\/([^/]+)$/, job],
  [/^#\/clouds$/, clouds],
  [/^#\/invoices$/, invoices],
];

const main = document.getElementById("main");
let stopPage = null;

function signInPage(message) {
  document.getElementById("nav").hidden = true;
  document.getElementById("who").hidden = true;
  document.title = "Sign in · Cloudplane console";
  const error = h("p", { className: "error", id: "sign-in-error", role: "alert" }, message || "");
  const input = h("input", { type: "password", id: "api-key", name: "api-key", autocomplete: "off",
    required: true, "aria-describedby": "api-key-help sign-in-error" });
  const form = h("form", { onsubmit: async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    try {
      await get("me", { key });
      session.set(key);
      location.hash = location.hash && location.hash !== "#/sign-in" ? location.hash : "#/servers";
      await route();
    } catch (err) {
      error.textContent = err.status === 401 ? "That API key was not accepted." : errorText(err);
      input.focus();
    }
  } },
  h("label", { htmlFor: "api-key" }, "API key"),
  h("p", { id: "api-key-help", className: "muted" },
    "Your tenant's key. It is kept in this browser tab only (session storage) and sent as a Bearer token."),
  h("div", { className: "form-row" }, input, h("button", { type: "submit" }, "Sign in")),
  error);
  main.replaceChildren(h("h1", {}, "Sign in"), form);
  input.focus();
}

async function showWho() {
  const me = await get("me");
  document.getElementById("tenant-name").textContent = me.tenant ? me.tenant.name : "admin";
  document.getElementById("nav").hidden = false;
  document.getElementById("who").hidden = false;
}

async function route() {
  if (stopPage) { stopPage(); stopPage = null; }
  if (!session.key()) return signInPage();
  if (!location.hash || location.hash === "#/sign-in") { location.replace("#/servers"); return; }
  const [page, params] = ROUTES.map(([pattern, mod]) => [mod, location.hash.match(pattern)])
    .find(([, match]) => match) || [null, null];
  for (const link of document.querySelectorAll("nav a")) {
    const here = page && location.hash.startsWith(link.getAttribute("href"));
    if (here) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  // Who is signed in is asked beside the page's own calls, not before them (one round trip less).
  showWho().catch((err) => {
    if (err.status === 401) {
      if (stopPage) { stopPage(); stopPage = null; }
      session.clear();
      signInPage("Your key is no longer accepted; sign in again.");
    }
  });
  if (!page) {
    main.replaceChildren(h("h1", {}, "Not found"), h("p", {}, "No page has this address. ", h("a", { href: "#/servers" }, "Servers")));
    return;
  }
  const title = typeof page.title === "function" ? page.title(params.slice(1)) : page.title;
  document.title = `${title} · Cloudplane console`;
  const heading = h("h1", { id: "page-title" }, title);
  main.replaceChildren(heading);
  main.focus();
  announce(`${title} page`);
  stopPage = page.render(main, params.slice(1).map(decodeURIComponent)) || null;
}

document.getElementById("sign-out").addEventListener("click", () => {
  session.clear();
  location.hash = "#/sign-in";
});
window.addEventListener("hashchange", route);
route();
