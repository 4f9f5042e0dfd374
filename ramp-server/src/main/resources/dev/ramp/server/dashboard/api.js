// Calls the admin API with the signed-in token; a failed call throws an ApiError that carries the
// problem+json document the server sent.

const TOKEN_KEY = 'ramp.token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function signIn(value) {
  sessionStorage.setItem(TOKEN_KEY, value);
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.status = status;
    this.problem = problem;
  }
}

function describe(status, problem) {
  if (problem && typeof problem === 'object') {
    const lines = [problem.detail || problem.title || `HTTP ${status}`];
    for (const error of problem.errors || []) {
      lines.push(`${error.field}: ${error.reason}`);
    }
    return lines.join('\n');
  }
  return `the server answered HTTP ${status}`;
}

/**
 * `method path` with the token as a Bearer header. `body` is sent as JSON; `ifMatch` is the version the change
 * is based on. Resolves to the parsed answer (null for an empty one).
 */
export async function api(method, path, { body, ifMatch, bearer } = {}) {
  const headers = { Authorization: `Bearer ${bearer ?? token()}`, Accept: 'application/json' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (ifMatch !== undefined) {
    headers['If-Match'] = `"${ifMatch}"`;
  }
  const response = await fetch(path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path) => api('GET', path);
export const post = (path, options) => api('POST', path, options);
export const put = (path, options) => api('PUT', path, options);

/** A path segment, escaped. */
export const seg = encodeURIComponent;
