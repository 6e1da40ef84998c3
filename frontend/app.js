// The page: forms and the résumé list, wired to the API client in api.js, and the links
// of the account e-mails (read from the address's fragment).
// Text from the API is only ever set with textContent, never parsed as HTML.
import { allowedOrigin, Api, ApiError, notConfigured } from "./api.js";
import { API_ORIGINS } from "./config.js";

const $ = (selector) => document.querySelector(selector);

const baseInput = $("#api-base");
const linked = new URLSearchParams(location.search).get("api");
baseInput.value = linked ?? API_ORIGINS[0];
$("#api-origins").replaceChildren(
  ...API_ORIGINS.map((origin) => Object.assign(document.createElement("option"), { value: origin })),
);
$("#origin").textContent = location.origin;

const api = new Api(() => baseInput.value, API_ORIGINS);
const FIRST_PAGE = "/api/resumes/";
// Errors about these API fields belong next to the photo input (a photo sent straight to
// the file store is announced to /api/uploads/ with its type and size, then named by key).
const PHOTO_FIELDS = ["image_key", "content_type", "size"];
// How the fields of an e-mail's link are named in errors (the person never saw them).
const LINK_FIELDS = { uid: "The link", token: "The link" };

let account = null; // the signed-in account, as GET /api/auth/me/ describes it
let resetLink = null; // {uid, token} of the password reset link being used
let editing = null; // the résumé being edited, or null when the form creates one
let contentOf = null; // the résumé whose content is in the JSON editor, or null
let previewOf = null; // the résumé shown in the preview, or null
let themes = []; // [{name, label, description}], from the API at login
let page = { url: FIRST_PAGE, next: null, previous: null };

// --- Showing state and messages -----------------------------------------------------

function render() {
  $("#account").hidden = api.signedIn;
  $("#account-panel").hidden = !api.signedIn;
  $("#workspace").hidden = !api.signedIn;
  $("#session").hidden = !api.signedIn;
  $("#username").textContent = account?.username ?? "";
  $("#email").textContent = account?.email ?? "";
  const verified = Boolean(account?.email_verified);
  $("#email-state").textContent = verified ? "verified" : "not verified";
  $("#email-state").dataset.verified = verified;
  $("#resend-verification").hidden = !account || verified;
}

function announce(message) {
  $("#errors").replaceChildren();
  $("#status").textContent = message;
}

function clearErrors(form) {
  form.querySelector(".errors").replaceChildren();
  for (const input of form.querySelectorAll("[aria-invalid]")) {
    input.removeAttribute("aria-invalid");
    const ids = input.getAttribute("aria-describedby").split(" ");
    const kept = ids.filter((id) => !id.startsWith(`${input.id}-error`)).join(" ");
    if (kept) input.setAttribute("aria-describedby", kept);
    else input.removeAttribute("aria-describedby");
  }
}

/** List the API's messages word for word in `box`, each under its field's label. */
function showError(error, box, form = null) {
  if (!(error instanceof ApiError)) throw error; // a bug in this page: leave it to the console
  const list = document.createElement("ul");
  error.messages.forEach(([field, message], n) => {
    const name = PHOTO_FIELDS.includes(field) ? "image" : field;
    const input = name && form?.querySelector(`[name="${CSS.escape(name)}"]`);
    const item = document.createElement("li");
    item.textContent = message;
    if (field) {
      const label = document.createElement("strong");
      const text = input?.labels[0]?.textContent.trim() ?? LINK_FIELDS[field] ?? field;
      label.textContent = `${text}: `;
      item.prepend(label);
    }
    if (input) {
      // Screen readers read the message with the field it is about.
      item.id = `${input.id}-error-${n}`;
      input.setAttribute("aria-invalid", "true");
      const ids = input.getAttribute("aria-describedby");
      input.setAttribute("aria-describedby", ids ? `${ids} ${item.id}` : item.id);
    }
    list.append(item);
  });
  $("#status").textContent = "";
  box.replaceChildren(list);
}

/** Report a failure in `form`'s error box, or in the page's when the form is hidden. */
function fail(error, form = null) {
  // The API refused the refresh token (expired, or logged out everywhere): back to the login
  // form, nothing of the account left in the page.
  if (account !== null && !api.signedIn) signedOut();
  const shown = form && !form.closest("[hidden]") ? form : null;
  showError(error, shown?.querySelector(".errors") ?? $("#errors"), shown);
}

/** Run `action` on submit, with the form's buttons disabled until it settles. */
function onSubmit(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    $("#errors").replaceChildren();
    clearErrors(form);
    const buttons = form.querySelectorAll("button");
    buttons.forEach((button) => (button.disabled = true));
    form.setAttribute("aria-busy", "true");
    try {
      await action(new FormData(form));
    } catch (error) {
      fail(error, form);
    } finally {
      buttons.forEach((button) => (button.disabled = false));
      form.removeAttribute("aria-busy");
    }
  });
}

/** Run `action` on `event` of a control outside a form; failures go to the page's box. */
function onEvent(control, event, action) {
  control.addEventListener(event, async () => {
    $("#errors").replaceChildren();
    control.disabled = true;
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      control.disabled = false;
    }
  });
}

const onClick = (button, action) => onEvent(button, "click", action);
const onChange = (control, action) => onEvent(control, "change", action);

// --- Account ----------------------------------------------------------------------

onSubmit($("#signup-form"), async (data) => {
  const user = await api.register(data.get("username"), data.get("email"), data.get("password"));
  $("#signup-form").reset();
  $("#login-username").value = user.username;
  announce(
    `Account “${user.username}” created. We sent an e-mail to ${user.email}: open its link ` +
      "to verify the address. Log in below.",
  );
  $("#login-password").focus();
});

onSubmit($("#login-form"), async (data) => {
  try {
    await api.login(data.get("username"), data.get("password"));
  } catch (error) {
    // 403: the API lets no unverified account in (ACCOUNT_UNVERIFIED_LOGIN off); a new
    // verification link is one form away.
    if (error instanceof ApiError && error.status === 403) showResendForm();
    throw error;
  }
  await loadAccount();
  $("#login-form").reset();
  announce(`Logged in as ${account.username}.`);
  themes = await api.themes();
  await loadResumes(FIRST_PAGE);
  $("#resume-title").focus();
});

async function loadAccount() {
  account = await api.me();
  render();
}

/** Back to the logged-out page, nothing of the account left in it. */
function signedOut() {
  account = null;
  stopEditing();
  closeContent();
  closePreview();
  closeAccountForms();
  $("#resume-list").replaceChildren();
  render();
  $("#login-username").focus();
}

onClick($("#logout"), async () => {
  try {
    await api.logout();
    announce("Logged out: the refresh token is revoked.");
  } finally {
    signedOut(); // whatever the API said; a failure is still shown
  }
});

// Forgot password: the form takes the login form's place until it is sent or cancelled.
function showForgotForm(shown) {
  clearErrors($("#forgot-form"));
  $("#forgot-form").hidden = !shown;
  $("#login-form").hidden = shown;
  (shown ? $("#forgot-email") : $("#login-username")).focus();
}

$("#forgot-open").addEventListener("click", () => showForgotForm(true));
$("#forgot-cancel").addEventListener("click", () => showForgotForm(false));

/** The link in the notices about a password change or a taken address. */
function openForgotForm() {
  if (!api.signedIn) {
    showForgotForm(true);
    return;
  }
  // Logged in already: changing the password needs no link.
  $("#account-forms").open = true;
  $("#password-current").focus();
}

onSubmit($("#forgot-form"), async (data) => {
  await api.requestPasswordReset(data.get("email"));
  $("#forgot-form").reset();
  showForgotForm(false);
  // The API answers alike for every address, so that no one learns who has an account.
  announce(
    "If an account has this address, we sent a link to it: open it to choose a new password.",
  );
});

// --- Links from the account e-mails ---------------------------------------------------

// FRONTEND_URL + one of these fragments; a fragment never reaches a server's log.
const LINKS = [
  [/^#\/verify-email\/([^/]+)\/([^/]+)\/?$/, verifyEmail],
  [/^#\/reset-password\/([^/]+)\/([^/]+)\/?$/, openResetForm],
  [/^#\/confirm-email\/([^/]+)\/?$/, confirmEmail],
  [/^#\/forgot-password\/?$/, openForgotForm],
];

function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // not percent-encoded after all: the API says whether it is a valid token
  }
}

/** Act on the link in the address's fragment, if it is one of LINKS. */
async function followLink() {
  for (const [pattern, open] of LINKS) {
    const match = pattern.exec(location.hash);
    if (!match) continue;
    // Read: out of the address bar and the history, so that no token stays there.
    history.replaceState(history.state, "", location.pathname + location.search);
    $("#errors").replaceChildren();
    try {
      await open(...match.slice(1).map(decoded));
    } catch (error) {
      fail(error);
    }
    return;
  }
}

async function verifyEmail(uid, token) {
  announce("Verifying your e-mail address…");
  let verified;
  try {
    verified = await api.verifyEmail(uid, token);
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) showResendForm(); // expired, used…
    throw error;
  }
  announce(`Your e-mail address ${verified.email} is verified.`);
  if (api.signedIn) await loadAccount();
}

async function confirmEmail(token) {
  announce("Confirming your new e-mail address…");
  const confirmed = await api.confirmEmail(token);
  announce(`Your e-mail address is now ${confirmed.email}.`);
  if (api.signedIn) await loadAccount();
}

function openResetForm(uid, token) {
  resetLink = { uid, token };
  const form = $("#reset-form");
  clearErrors(form);
  form.reset();
  form.hidden = false;
  announce("Choose a new password for your account.");
  $("#reset-password").focus();
}

function closeResetForm() {
  resetLink = null;
  $("#reset-form").reset();
  $("#reset-form").hidden = true;
}

onSubmit($("#reset-form"), async (data) => {
  await api.resetPassword(resetLink.uid, resetLink.token, data.get("new_password"));
  closeResetForm();
  announce("Your password is changed: log in with the new one.");
  showForgotForm(false); // the login form, ready for it
});

$("#reset-cancel").addEventListener("click", () => {
  closeResetForm();
  announce("The password is unchanged.");
});

/** The form that asks for a new verification link, for a link that did not work. */
function showResendForm() {
  const form = $("#resend-form");
  clearErrors(form);
  form.hidden = false;
  $("#resend-email").value = account?.email ?? "";
}

onSubmit($("#resend-form"), async (data) => {
  await api.resendVerification(data.get("email"));
  $("#resend-form").reset();
  $("#resend-form").hidden = true;
  announce("If this address has an account to verify, we sent a new link to it.");
});

$("#resend-cancel").addEventListener("click", () => {
  $("#resend-form").hidden = true;
  $("#errors").replaceChildren();
});

// --- The signed-in account: its address, password, data ------------------------------

onClick($("#resend-verification"), async () => {
  await api.resendVerification(account.email);
  announce(`We sent a new verification link to ${account.email}.`);
});

function closeAccountForms() {
  for (const form of $("#account-forms").querySelectorAll("form")) {
    clearErrors(form);
    form.reset();
  }
  $("#export-result").hidden = true;
  $("#export-link").removeAttribute("href");
  $("#account-forms").open = false;
}

onSubmit($("#password-form"), async (data) => {
  await api.changePassword(data.get("current_password"), data.get("new_password"));
  $("#password-form").reset();
  announce("Password changed. Everywhere else, the account has to log in again.");
});

onSubmit($("#email-form"), async (data) => {
  const address = data.get("new_email");
  await api.changeEmail(address, data.get("current_password"));
  $("#email-form").reset();
  announce(
    `We sent a confirmation link to ${address}. Your address changes when you open it; ` +
      `until then it stays ${account.email}.`,
  );
});

onSubmit($("#export-form"), async () => {
  $("#export-result").hidden = true;
  const done = await api.exportData(() => announce("Preparing your export…"));
  if (done.status === "failed") {
    throw new ApiError(200, null, `The export failed: ${done.problem}`);
  }
  const link = $("#export-link");
  link.href = done.download_url;
  $("#export-hint").textContent = done.expires_at
    ? `(the link works for a few minutes; the export is kept until ` +
      `${new Date(done.expires_at).toLocaleString()})`
    : "(the link works for a few minutes)";
  $("#export-result").hidden = false;
  announce("Your export is ready.");
  link.focus();
});

onSubmit($("#logout-all-form"), async () => {
  await api.logoutEverywhere();
  announce("Logged out everywhere: every refresh token of the account is revoked.");
  signedOut();
});

onSubmit($("#delete-account-form"), async (data) => {
  if (!data.get("confirm")) {
    // Checked here: the API asks for the password only.
    const message = "Tick this box to confirm that the account is to be deleted.";
    throw new ApiError(0, { confirm: [message] }, message);
  }
  const name = account.username;
  await api.deleteAccount(data.get("current_password"));
  announce(`The account “${name}” and everything in it are deleted.`);
  signedOut();
});

// --- Résumés ----------------------------------------------------------------------

async function loadResumes(url = page.url) {
  const result = await api.listResumes(url);
  page = { url, next: result.next, previous: result.previous };
  const noun = result.count === 1 ? "résumé" : "résumés";
  $("#resume-count").textContent = `${result.count} ${noun}`;
  $("#resume-list").replaceChildren(...result.results.map(card));
  $("#previous-page").hidden = !result.previous;
  $("#next-page").hidden = !result.next;
}

function card(resume) {
  const item = $("#resume-card").content.firstElementChild.cloneNode(true);
  const name = `“${resume.title}”`;
  item.dataset.id = resume.id;
  item.querySelector(".title").textContent = resume.title;
  item.querySelector(".title").id = `resume-${resume.id}-title`;
  item.querySelector(".summary").textContent = resume.summary;
  item.querySelector(".meta").textContent =
    `#${resume.id} · updated ${new Date(resume.updated_at).toLocaleString()}`;
  const link = item.querySelector(".photo");
  if (resume.image) {
    // The list shows the thumbnail; the link opens the full-size image.
    link.href = resume.image;
    link.querySelector("img").src = resume.image_thumbnail ?? resume.image;
    link.querySelector("img").alt = `Photo for ${name}`;
    item.querySelector(".no-photo").remove();
  } else {
    link.remove();
  }
  showSharing(item, resume);
  const buttons = {
    edit: `Edit ${name}`,
    content: `Edit content of ${name}`,
    preview: `Preview ${name}`,
    pdf: `Download PDF of ${name}`,
    delete: `Delete ${name}`,
    copy: `Copy link to ${name}`,
  };
  for (const [role, label] of Object.entries(buttons)) {
    item.querySelector(`.${role}`).setAttribute("aria-label", label);
  }
  item.querySelector(".edit").addEventListener("click", () => startEditing(resume));
  onClick(item.querySelector(".content"), () => openContent(resume));
  onClick(item.querySelector(".delete"), () => deleteResume(resume));
  onClick(item.querySelector(".copy"), () => copyLink(item, resume));
  onClick(item.querySelector(".preview"), () => openPreview(resume));
  onClick(item.querySelector(".pdf"), () => downloadPdf(resume, resume.theme));
  const toggle = item.querySelector(".public");
  const theme = item.querySelector(".theme");
  for (const control of [toggle, theme]) {
    control.setAttribute("aria-describedby", item.querySelector(".title").id);
  }
  onChange(toggle, () => setPublic(item, resume, toggle.checked));
  showThemes(theme, resume.theme);
  onChange(theme, async () => {
    try {
      await setTheme(resume, theme.value);
    } finally {
      theme.value = resume.theme; // on failure: back to what the API holds
    }
  });
  return item;
}

/** Offer every theme in `select`, `current` selected (listed even if the API dropped it). */
function showThemes(select, current) {
  const offered = themes.some(({ name }) => name === current)
    ? themes
    : [...themes, { name: current, label: current, description: "" }];
  select.replaceChildren(
    ...offered.map(({ name, label, description }) => {
      const option = new Option(label, name, false, name === current);
      option.title = description;
      return option;
    }),
  );
}

function themeLabel(name) {
  return themes.find((theme) => theme.name === name)?.label ?? name;
}

async function setTheme(resume, theme) {
  Object.assign(resume, await api.updateResume(resume.id, { theme }));
  announce(`“${resume.title}” is shown in the ${themeLabel(resume.theme)} theme.`);
}

/** Like Django's slugify, which names the API's downloads. */
function downloadName(resume) {
  const slug = resume.title
    .normalize("NFKD")
    .replace(/[^\x00-\x7f]/g, "")
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .replace(/[-\s]+/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");
  return `${slug || `resume-${resume.id}`}.pdf`;
}

async function downloadPdf(resume, theme) {
  const name = `“${resume.title}”`;
  const pdf = await api.pdf(resume.id, theme, () => announce(`Preparing the PDF of ${name}…`));
  if (pdf.type !== "application/pdf") {
    throw new ApiError(0, null, `The PDF of ${name} could not be read (${pdf.type || "no type"}).`);
  }
  const link = Object.assign(document.createElement("a"), {
    href: URL.createObjectURL(pdf),
    download: downloadName(resume),
  });
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by then; it only holds memory.
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
  announce(`PDF of ${name} downloaded (${link.download}).`);
}

/** The card's sharing controls, for `resume` as the API last described it. */
function showSharing(item, resume) {
  const name = `“${resume.title}”`;
  item.querySelector(".public").checked = resume.is_public;
  item.querySelector(".visibility").textContent = resume.is_public
    ? "Anyone with the link can read it."
    : "Only you can see it.";
  item.querySelector(".share").hidden = !resume.is_public;
  const url = item.querySelector(".share-url");
  url.value = resume.share_url;
  url.setAttribute("aria-label", `Share link of ${name}`);
  const open = item.querySelector(".open");
  open.href = resume.share_url;
  open.setAttribute("aria-label", `Open public page of ${name}`);
}

async function setPublic(item, resume, isPublic) {
  try {
    Object.assign(resume, await api.updateResume(resume.id, { is_public: isPublic }));
  } finally {
    showSharing(item, resume); // on failure the checkbox goes back to what the API holds
  }
  announce(
    resume.is_public
      ? `“${resume.title}” is public: anyone with its link can read it.`
      : `“${resume.title}” is private: its link no longer opens it.`,
  );
}

async function copyLink(item, resume) {
  try {
    await navigator.clipboard.writeText(resume.share_url);
  } catch {
    // No clipboard here (an insecure origin, or permission refused): the link is selected,
    // ready for the keyboard's copy.
    item.querySelector(".share-url").select();
    announce("Press Ctrl+C (⌘C on a Mac) to copy the selected link.");
    return;
  }
  announce(`Link to “${resume.title}” copied.`);
}

function startEditing(resume) {
  editing = resume;
  const form = $("#resume-form");
  clearErrors(form);
  form.reset();
  form.elements.title.value = resume.title;
  form.elements.summary.value = resume.summary;
  $("#resume-form-title").textContent = `Edit “${resume.title}”`;
  $("#resume-submit").textContent = "Save changes";
  $("#resume-cancel").hidden = false;
  const current = $("#current-photo");
  current.hidden = !resume.image;
  if (resume.image) current.querySelector("img").src = resume.image_thumbnail ?? resume.image;
  form.elements.title.focus();
}

function stopEditing() {
  editing = null;
  const form = $("#resume-form");
  clearErrors(form);
  form.reset();
  $("#resume-form-title").textContent = "New résumé";
  $("#resume-submit").textContent = "Create résumé";
  $("#resume-cancel").hidden = true;
  $("#current-photo").hidden = true;
}

onSubmit($("#resume-form"), async (data) => {
  const photo = data.get("image");
  const fields = { title: data.get("title"), summary: data.get("summary") };
  // An empty file input still submits a nameless, empty File: that means "no photo".
  const file = photo instanceof File && photo.name ? photo : null;
  const route = $('input[name="photo-route"]:checked').value;
  const saved = await api.saveResume(editing?.id, fields, file, route);
  const verb = editing ? "saved" : "created";
  stopEditing();
  announce(`Résumé “${saved.title}” ${verb}.`);
  await loadResumes(verb === "created" ? FIRST_PAGE : page.url);
});

$("#resume-cancel").addEventListener("click", () => {
  stopEditing();
  announce("Editing cancelled.");
});

async function deleteResume(resume) {
  if (!confirm(`Delete “${resume.title}” and its photo?`)) return;
  await api.deleteResume(resume.id);
  if (editing?.id === resume.id) stopEditing();
  if (contentOf?.id === resume.id) closeContent();
  if (previewOf?.id === resume.id) closePreview();
  announce(`Résumé “${resume.title}” deleted.`);
  await loadResumes(FIRST_PAGE); // the current page may no longer exist
  $("#list-title").focus();
}

// --- Content, as a JSON Resume document ---------------------------------------------

const contentForm = $("#content-form");
const contentProblems = contentForm.querySelector(".errors");
const contentChanges = $("#content-changes");
// Longest rendering of a value in the list of changes; the editor holds the stored one.
const SHOWN_VALUE_LENGTH = 200;

async function openContent(resume) {
  showContent(await api.getResume(resume.id)); // the list leaves the content out
  $("#content-json").focus();
}

/** `resume` (as the API answered, content included) in the editor. */
function showContent(resume) {
  contentOf = resume;
  showProblems([]);
  showChanges(null);
  $("#content-title").textContent = `Content of “${resume.title}”`;
  $("#content-json").value = JSON.stringify(resume.content, null, 2);
  contentForm.hidden = false;
}

function closeContent() {
  contentOf = null;
  contentForm.hidden = true;
  showProblems([]);
  showChanges(null);
}

/** A button showing `path` that selects the value at `place` in the editor. */
function pathButton(path, place) {
  const where = document.createElement("code");
  where.textContent = path;
  const button = Object.assign(document.createElement("button"), { type: "button" });
  button.className = "path";
  button.title = "Select it in the editor";
  button.append(where);
  button.addEventListener("click", () => selectValue(place));
  return button;
}

/**
 * List [path, message] pairs beside the editor; path null: about the whole document. A path
 * is a button that selects its value in the editor.
 */
function showProblems(problems) {
  const items = problems.map(([path, message]) => {
    const item = document.createElement("li");
    if (path === null) {
      const where = document.createElement("code");
      where.textContent = "(whole document)";
      item.append(where);
    } else {
      item.append(pathButton(path, path));
    }
    item.append(`: ${message}`);
    return item;
  });
  const list = document.createElement("ul");
  list.append(...items);
  contentProblems.replaceChildren(...(items.length ? [list] : []));
  if (items.length) $("#content-json").setAttribute("aria-invalid", "true");
  else $("#content-json").removeAttribute("aria-invalid");
}

/** Select the value at `path` in the editor, if the text (as it is now) still has it. */
function selectValue(path) {
  const editor = $("#content-json");
  const [parsed] = parseDocument(editor.value);
  const range = parsed && placesIn(editor.value).get(path);
  editor.focus();
  if (range) editor.setSelectionRange(...range);
}

/**
 * Where each value is written in `text`, which must be valid JSON: a Map from its path (as
 * the API names places: "work[0].startDate") to [start, end]. One pass, however many paths
 * are looked up.
 */
function placesIn(text) {
  const places = new Map();
  let at = 0;
  const space = () => {
    while (/\s/.test(text[at])) at++;
  };
  const string = () => {
    const start = at++;
    while (text[at] !== '"') at += text[at] === "\\" ? 2 : 1;
    return JSON.parse(text.slice(start, ++at));
  };
  // Walks over the value at `at`, whose place is `here`, and every value in it.
  const walk = (here) => {
    space();
    const start = at;
    const close = { "{": "}", "[": "]" }[text[at]];
    if (close) {
      at++;
      space();
      for (let index = 0; text[at] !== close; index++) {
        let place = `${here}[${index}]`;
        if (close === "}") {
          const key = string();
          space();
          at++; // the colon
          place = here ? `${here}.${key}` : key;
        }
        walk(place);
        space();
        if (text[at] === ",") at++;
        space();
      }
      at++;
    } else if (text[at] === '"') {
      string();
    } else {
      while (at < text.length && !/[\s,\]}]/.test(text[at])) at++;
    }
    places.set(here, [start, at]);
  };
  walk("");
  return places;
}

/**
 * List what the API changed in the document it was sent (`content_changes`) beside the
 * editor, which holds the stored document, under a heading such as "Imported with 3
 * changes" (`done` is "Imported" or "Saved"); null hides the list. The values come from the
 * sender's document: they are only ever text here.
 */
function showChanges(changes, done = "") {
  contentChanges.hidden = changes === null;
  const list = contentChanges.querySelector("ul");
  if (changes === null) {
    list.replaceChildren();
    return;
  }
  $("#content-changes-title").textContent = changes.length
    ? `${done} ${changesSummary(changes)}`
    : `${done} as sent: the API changed nothing.`;
  const found = placesIn($("#content-json").value);
  const places = storedPlaces(changes);
  list.replaceChildren(
    ...changes.map((change, n) => {
      const item = document.createElement("li");
      const place = places[n];
      if (found.has(place)) {
        item.append(pathButton(change.path, place));
      } else {
        const where = document.createElement("code");
        where.textContent = change.path || "(whole document)";
        item.append(where);
      }
      item.append(` — ${change.action}: ${change.reason}`);
      const values = changeValues(change);
      if (values) item.append(` (${values})`);
      return item;
    }),
  );
}

/** A change's values as text: (was "Present"), (was "07/2025", now "2025-07"), (now at …). */
function changeValues(change) {
  const shown = (value) => {
    const text = JSON.stringify(value);
    return text.length > SHOWN_VALUE_LENGTH ? `${text.slice(0, SHOWN_VALUE_LENGTH)}…` : text;
  };
  // A renamed or moved value is unchanged: `to` is its new path (`from`, its old key).
  if (change.action === "renamed" || change.action === "moved") return `now at ${change.to}`;
  const parts = [];
  if ("from" in change) parts.push(`was ${shown(change.from)}`);
  if ("to" in change) parts.push(`now ${shown(change.to)}`);
  return parts.join(", ");
}

/**
 * Where each change's value is in the stored document, or null for a removed one. Changes
 * name places in the document as sent: a renamed or moved value (and what is in it) is at
 * its `to` path, and removing an entry from a list moves the entries after it up.
 */
function storedPlaces(changes) {
  const moves = changes.filter(({ action }) => action === "renamed" || action === "moved");
  const removedEntries = changes
    .filter(({ action }) => action === "removed")
    .map(({ path }) => /^(.*)\[(\d+)\]$/.exec(path))
    .filter(Boolean);
  return changes.map(({ action, path }) => {
    if (action === "removed") return null;
    let sent = path;
    for (const move of moves) {
      const rest = sent.slice(move.path.length);
      if (sent.startsWith(move.path) && /^$|^[.[]/.test(rest)) sent = move.to + rest;
    }
    return sent.replace(/\[(\d+)\]/g, (_, index, offset) => {
      const list = sent.slice(0, offset);
      const before = removedEntries.filter(([, from, entry]) => from === list && +entry < +index);
      return `[${index - before.length}]`;
    });
  });
}

/**
 * "with 3 changes", "as sent; 1 key of your own kept"…: keys JSON Resume does not have are
 * listed too (action "kept"), but they are stored as sent.
 */
function changesSummary(changes) {
  const kept = changes.filter(({ action }) => action === "kept").length;
  const changed = changes.length - kept;
  const summary = changed === 1 ? "with 1 change" : changed ? `with ${changed} changes` : "as sent";
  if (!kept) return summary;
  return `${summary}; ${kept === 1 ? "1 key" : `${kept} keys`} of your own kept`;
}

/** How the status line says what became of a document the API was sent. */
function changesNote(changes) {
  return changes.length ? `${changesSummary(changes)} (listed beside its content)` : "as sent";
}

/** The API's {"content": {"work[0].startDate": ["…"]}} as [path, message] pairs. */
function contentProblemsOf(error) {
  const detail = error.body?.content;
  if (!detail) return null;
  const byPath = Array.isArray(detail) ? { non_field_errors: detail } : detail;
  return Object.entries(byPath).flatMap(([path, messages]) =>
    [messages].flat().map((message) => [path === "non_field_errors" ? null : path, message]),
  );
}

/** [the document, []] or [null, problems]: the API is not asked about text that is no JSON. */
function parseDocument(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return [null, [[null, `This is not valid JSON: ${error.message}`]]];
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    return [null, [[null, "The document must be a JSON object, written { … }."]]];
  }
  return [parsed, []];
}

onSubmit(contentForm, async (data) => {
  const [content, problems] = parseDocument(data.get("content"));
  showProblems(problems);
  showChanges(null);
  if (!content) return;
  let saved;
  try {
    saved = await api.updateResume(contentOf.id, { content });
  } catch (error) {
    const found = error instanceof ApiError ? contentProblemsOf(error) : null;
    if (!found) throw error;
    showProblems(found);
    $("#status").textContent = "";
    return;
  }
  contentOf = saved;
  $("#content-json").value = JSON.stringify(saved.content, null, 2);
  showChanges(saved.content_changes, "Saved");
  announce(`Content of “${saved.title}” saved ${changesNote(saved.content_changes)}.`);
  await loadResumes();
  if (previewOf?.id === saved.id) await showPreview();
});

onSubmit($("#import-form"), async (data) => {
  const imported = await api.importResume(data.get("file"));
  $("#import-form").reset();
  announce(`“${imported.title}” imported ${changesNote(imported.content_changes)}.`);
  await loadResumes(FIRST_PAGE);
  showContent(imported);
  showChanges(imported.content_changes, "Imported");
  $("#content-changes-title").focus();
});

$("#content-close").addEventListener("click", () => {
  closeContent();
  $("#list-title").focus();
});

// --- Preview, in any theme -------------------------------------------------------------

async function openPreview(resume) {
  previewOf = resume;
  showThemes($("#preview-theme"), resume.theme);
  $("#preview-title").textContent = `Preview of “${resume.title}”`;
  $("#preview-frame").title = `Preview of “${resume.title}”`;
  await showPreview();
  $("#preview").hidden = false;
  $("#preview-title").focus();
}

async function showPreview() {
  // The API's page, as text: the sandboxed frame renders it without its scripts or origin.
  $("#preview-frame").srcdoc = await api.preview(previewOf.id, $("#preview-theme").value);
}

function closePreview() {
  previewOf = null;
  $("#preview").hidden = true;
  $("#preview-frame").srcdoc = "";
}

onChange($("#preview-theme"), showPreview);
onClick($("#preview-use"), async () => {
  await setTheme(previewOf, $("#preview-theme").value);
  const select = $(`#resume-list > li[data-id="${previewOf.id}"] .theme`);
  if (select) select.value = previewOf.theme;
});
onClick($("#preview-pdf"), () => downloadPdf(previewOf, $("#preview-theme").value));
$("#preview-close").addEventListener("click", () => {
  closePreview();
  $("#list-title").focus();
});

onClick($("#refresh"), () => loadResumes());
onClick($("#previous-page"), () => loadResumes(page.previous));
onClick($("#next-page"), () => loadResumes(page.next));

render();
// A link may name any API: say at once that this one is refused (every call refuses it too).
if (linked !== null && !allowedOrigin(linked, API_ORIGINS)) fail(notConfigured(linked));
window.addEventListener("hashchange", followLink);
followLink();
