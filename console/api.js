// The v1 API as the console calls it: the key from session storage as a Bearer credential.
const KEY = "cloudplane.apiKey";

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details || {};
  }
}

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
};

async function errorOf(response) {
  let body = null;
  try { body = await response.json(); } catch { /* not JSON */ }
  const error = body && body.error && typeof body.error === "object" ? body.error : {};
  return new ApiError(response.status, error.code || `HTTP_${response.status}`,
    error.message || `The API answered ${response.status}.`, error.details);
}

/** A raw response from /api/v1/<path>; throws ApiError for a status of 400 or more. */
export async function request(path, { method = "GET", body, key = session.key(), accept = "application/json", redirect = "follow" } = {}) {
  const headers = { Accept: accept };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/api/v1/${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store", redirect,
  });
  if (response.type === "opaqueredirect") return response;  // the caller asked to see redirects
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function get(path, options) {
  return (await request(path, options)).json();
}

export async function post(path, body) {
  return (await request(path, { method: "POST", body })).json();
}

export function query(params) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
