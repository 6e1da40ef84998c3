// A client for resume-api. Every call goes through Api.request(), which adds the bearer
// token, renews it once when it has expired, and turns every failure into an ApiError
// that keeps the API's own wording. No DOM code here: app.js does the page.

/** A failed call. `body` is the API's JSON: {"field": ["msg", ...]} or {"detail": "msg"}. */
export class ApiError extends Error {
  constructor(status, body, message) {
    super(message ?? `The API answered ${status}.`);
    this.status = status; // 0 when no answer could be read (network or CORS failure)
    this.body = body;
  }

  /** [field, message] pairs, in the API's order; field is null for the whole request. */
  get messages() {
    if (!this.body || typeof this.body !== "object") return [[null, this.message]];
    const entries = Array.isArray(this.body) ? [[null, this.body]] : Object.entries(this.body);
    // A "code" beside a "detail" names the detail for programs (e.g. email_unverified).
    const worded = "detail" in this.body ? entries.filter(([field]) => field !== "code") : entries;
    return worded.flatMap(([field, value]) => {
      const where = field === "detail" || field === "non_field_errors" ? null : field;
      return [value].flat(Infinity).map((message) => [
        where,
        typeof message === "string" ? message : JSON.stringify(message),
      ]);
    });
  }
}

// The browser hides why a cross-origin request failed (the reason is only in the console),
// so the message names both possible causes and the setting that fixes the second.
function unreachable(what, url, setting) {
  return new ApiError(
    0,
    null,
    `Could not reach ${what} at ${url}: it is not running, or it does not allow ` +
      `requests from this page's origin (${location.origin}); check ${setting}.`,
  );
}

async function readBody(response) {
  const text = await response.text();
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null; // not JSON (e.g. a proxy's HTML page): the status line will do
  }
}

/** The origin of `url` if it is one of `origins`, else null (also for what is not a URL). */
export function allowedOrigin(url, origins) {
  let origin;
  try {
    origin = new URL(url).origin;
  } catch {
    return null;
  }
  return origins.includes(origin) ? origin : null;
}

/** The refusal shown instead of calling an API this page is not configured for. */
export function notConfigured(url) {
  return new ApiError(
    0,
    null,
    `This page does not call ${url}: it sends passwords only to the APIs listed in its ` +
      "config.js. Nothing was sent.",
  );
}

// How often, and how long between tries, a PDF being rendered is asked for again.
const PDF_ATTEMPTS = 20;
const PDF_RETRY_SECONDS = 3;
// An export being prepared is asked for after 1 s, 2 s, then every 3 s, for about 5 minutes.
const EXPORT_ATTEMPTS = 100;
const EXPORT_RETRY_SECONDS = 3;

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

export class Api {
  /**
   * @param {() => string} base the API's origin, read at each call (the page can change it)
   * @param {string[]} origins the only origins requests may go to
   */
  constructor(base, origins) {
    this.base = base;
    this.origins = origins;
    this.access = null;
    this.refresh = null;
  }

  get signedIn() {
    return this.refresh !== null;
  }

  url(path) {
    // Pagination links are absolute already.
    const url = /^https?:/.test(path) ? path : this.base().trim().replace(/\/+$/, "") + path;
    if (!allowedOrigin(url, this.origins)) throw notConfigured(url);
    return url;
  }

  /** JSON (`json`) or multipart (`form`) request; resolves to the parsed body or null. */
  async request(method, path, options = {}) {
    return readBody(await this.send(method, path, options));
  }

  /**
   * Send a request; resolves to the successful Response, whatever its body. `accept` names
   * what the caller reads; error bodies are JSON. `unreachable` is the advice shown when no
   * answer can be read.
   */
  async send(method, path, options = {}) {
    const { json, form, auth = true, retry = true, accept = "application/json" } = options;
    const url = this.url(path);
    const headers = { Accept: accept };
    let body = form; // the browser writes the multipart boundary itself
    if (json !== undefined) {
      headers["Content-Type"] = "application/json";
      body = JSON.stringify(json);
    }
    if (auth && this.access) headers.Authorization = `Bearer ${this.access}`;

    let response;
    try {
      response = await fetch(url, { method, headers, body });
    } catch {
      throw (
        options.unreachable?.(url) ??
        unreachable("the API", url, "Settings at the foot of this page and CORS_ALLOWED_ORIGINS")
      );
    }
    // Access tokens live minutes; the refresh token renews them without a new login.
    if (response.status === 401 && auth && retry && this.refresh && (await this.renew())) {
      return this.send(method, path, { ...options, retry: false });
    }
    if (!response.ok) {
      const data = await readBody(response);
      const status = `The API answered ${response.status} ${response.statusText}.`.trim();
      throw new ApiError(response.status, data, data?.detail ?? status);
    }
    return response;
  }

  async renew() {
    try {
      const pair = await this.request("POST", "/api/auth/token/refresh/", {
        json: { refresh: this.refresh },
        auth: false,
      });
      Object.assign(this, pair); // refresh tokens rotate: keep the new one
      return true;
    } catch {
      this.forget(); // expired or revoked: the caller's 401 stands and the user logs in again
      return false;
    }
  }

  forget() {
    this.access = null;
    this.refresh = null;
  }

  register(username, email, password) {
    return this.request("POST", "/api/auth/register/", {
      json: { username, email, password },
      auth: false,
    });
  }

  async login(username, password) {
    const pair = await this.request("POST", "/api/auth/token/", {
      json: { username, password },
      auth: false,
    });
    Object.assign(this, pair);
  }

  async logout() {
    try {
      await this.request("POST", "/api/auth/logout/", { json: { refresh: this.refresh } });
    } finally {
      this.forget(); // signed out here even when the API could not revoke the token
    }
  }

  /** The signed-in account: {id, username, email, email_verified, date_joined}. */
  me() {
    return this.request("GET", "/api/auth/me/");
  }

  /** Revoke every refresh token of the account; signed out here once the API has. */
  async logoutEverywhere() {
    await this.request("POST", "/api/auth/logout/all/");
    this.forget();
  }

  /** The uid and token of a verification link; resolves to {email, email_verified}. */
  verifyEmail(uid, token) {
    return this.request("POST", "/api/auth/email/verify/", { json: { uid, token }, auth: false });
  }

  /** The API answers alike whether or not the address has an account to verify. */
  resendVerification(email) {
    return this.request("POST", "/api/auth/email/verify/resend/", {
      json: { email },
      auth: false,
    });
  }

  /** Mails a confirmation link to `newEmail`; the address changes when it is opened. */
  changeEmail(newEmail, currentPassword) {
    return this.request("POST", "/api/auth/email/change/", {
      json: { new_email: newEmail, current_password: currentPassword },
    });
  }

  /** The token of a confirmation link; resolves to {email, email_verified}. */
  confirmEmail(token) {
    return this.request("POST", "/api/auth/email/change/confirm/", {
      json: { token },
      auth: false,
    });
  }

  async changePassword(currentPassword, newPassword) {
    const pair = await this.request("POST", "/api/auth/password/change/", {
      json: { current_password: currentPassword, new_password: newPassword },
    });
    Object.assign(this, pair); // every earlier refresh token is revoked, ours included
  }

  /** The API answers alike whether or not an account has the address. */
  requestPasswordReset(email) {
    return this.request("POST", "/api/auth/password/reset/", { json: { email }, auth: false });
  }

  /** The uid and token of a reset link, and the password to set. */
  resetPassword(uid, token, newPassword) {
    return this.request("POST", "/api/auth/password/reset/confirm/", {
      json: { uid, token, new_password: newPassword },
      auth: false,
    });
  }

  async deleteAccount(currentPassword) {
    await this.request("POST", "/api/auth/me/delete/", {
      json: { current_password: currentPassword },
    });
    this.forget();
  }

  /**
   * Start an export of the account's data and wait until it is ready or failed; resolves to
   * the export, {id, status, created_at, expires_at, download_url, problem}. `waiting()` is
   * told before each wait.
   */
  async exportData(waiting) {
    let data = await this.request("POST", "/api/exports/");
    for (let attempt = 1; attempt <= EXPORT_ATTEMPTS; attempt++) {
      if (data.status === "ready" || data.status === "failed") return data;
      waiting();
      await sleep(Math.min(attempt, EXPORT_RETRY_SECONDS));
      data = await this.request("GET", `/api/exports/${data.id}/`);
    }
    throw new ApiError(202, null, "The export is still being prepared: try again later.");
  }

  listResumes(pageUrl = "/api/resumes/") {
    return this.request("GET", pageUrl);
  }

  getResume(id) {
    return this.request("GET", `/api/resumes/${id}/`);
  }

  /** Change some of a résumé's fields (a JSON PATCH: title, is_public, content…). */
  updateResume(id, fields) {
    return this.request("PATCH", `/api/resumes/${id}/`, { json: fields });
  }

  /** The themes a résumé can be shown in: [{name, label, description}]. */
  themes() {
    return this.request("GET", "/api/themes/", { auth: false });
  }

  /** The résumé's page in `theme`, as HTML text. */
  async preview(id, theme) {
    const query = new URLSearchParams({ theme });
    const response = await this.send("GET", `/api/resumes/${id}/preview/?${query}`, {
      accept: "text/html",
    });
    return response.text();
  }

  /**
   * The résumé's PDF in `theme`, as a Blob. The API redirects to the stored file, which fetch
   * follows; while the PDF is being rendered it answers 202, and `waiting(seconds)` is told
   * before each wait.
   */
  async pdf(id, theme, waiting) {
    const path = `/api/resumes/${id}/pdf/?${new URLSearchParams({ theme })}`;
    for (let attempt = 1; attempt <= PDF_ATTEMPTS; attempt++) {
      const response = await this.send("GET", path, {
        // Error answers come from the API, in JSON.
        accept: "application/pdf, application/json;q=0.9",
        unreachable: (url) =>
          unreachable("the PDF", url, "CORS_ALLOWED_ORIGINS and the bucket's CORS rule"),
      });
      if (response.status !== 202) return response.blob();
      // Retry-After is readable only if the API exposes it (CORS_EXPOSE_HEADERS).
      const seconds = Number(response.headers.get("Retry-After")) || PDF_RETRY_SECONDS;
      waiting(seconds);
      await sleep(seconds);
    }
    throw new ApiError(202, null, "The PDF is still being prepared: try again in a minute.");
  }

  /**
   * Create a résumé from a JSON Resume file, sent as it is (multipart `file`); resolves to the
   * résumé, whose `content_changes` list what the API changed in the document on the way in.
   */
  importResume(file) {
    const form = new FormData();
    form.append("file", file);
    return this.request("POST", "/api/resumes/import/", { form });
  }

  deleteResume(id) {
    return this.request("DELETE", `/api/resumes/${id}/`);
  }

  /**
   * Create (no id) or change a résumé. A photo goes either in a multipart form through the
   * API (route "api") or straight to S3 with a presigned POST, then claimed by its key
   * (route "s3").
   */
  async saveResume(id, { title, summary }, photo, route) {
    const method = id ? "PATCH" : "POST";
    const path = id ? `/api/resumes/${id}/` : "/api/resumes/";
    if (photo && route === "s3") {
      const image_key = await this.uploadToS3(photo, "resume-image");
      return this.request(method, path, { json: { title, summary, image_key } });
    }
    if (photo) {
      const form = new FormData();
      form.append("title", title);
      form.append("summary", summary);
      form.append("image", photo);
      return this.request(method, path, { form });
    }
    return this.request(method, path, { json: { title, summary } });
  }

  /** Send a file to S3 with a presigned POST from the API; resolves to its key. */
  async uploadToS3(file, purpose) {
    const ticket = await this.request("POST", "/api/uploads/", {
      json: { purpose, content_type: file.type, size: file.size },
    });
    const form = new FormData();
    for (const [name, value] of Object.entries(ticket.fields)) form.append(name, value);
    form.append("file", file); // S3 ignores every field after the file: it goes last

    let response;
    try {
      response = await fetch(ticket.url, { method: "POST", body: form });
    } catch {
      throw unreachable("the image store", ticket.url, "the bucket's CORS rule");
    }
    if (!response.ok) {
      // S3 answers in XML: <Error><Code>…</Code><Message>…</Message></Error>.
      const xml = new DOMParser().parseFromString(await response.text(), "application/xml");
      const reason = xml.querySelector("Message")?.textContent ?? response.statusText;
      throw new ApiError(response.status, null, `The image store refused the upload: ${reason}`);
    }
    return ticket.key;
  }
}
