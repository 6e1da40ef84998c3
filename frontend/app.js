// The page: forms and the résumé list, wired to the API client in api.js.
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
// Errors about these API fields belong next to the photo input (the S3 path sends the
// photo's type and size to /api/uploads/, then its key as image_key).
const PHOTO_FIELDS = ["image_key", "content_type", "size"];

let username = null;
let editing = null; // the résumé being edited, or null when the form creates one
let page = { url: FIRST_PAGE, next: null, previous: null };

// --- Showing state and messages -----------------------------------------------------

function render() {
  $("#account").hidden = api.signedIn;
  $("#workspace").hidden = !api.signedIn;
  $("#session").hidden = !api.signedIn;
  $("#username").textContent = username ?? "";
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
      label.textContent = `${input?.labels[0]?.textContent ?? field}: `;
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
  if (username !== null && !api.signedIn) {
    username = null; // the API refused the refresh token: back to the login form
    render();
  }
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

/** Run `action` for a button outside a form; failures go to the page's error box. */
function onClick(button, action) {
  button.addEventListener("click", async () => {
    $("#errors").replaceChildren();
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      fail(error);
    } finally {
      button.disabled = false;
    }
  });
}

// --- Account ----------------------------------------------------------------------

onSubmit($("#signup-form"), async (data) => {
  const user = await api.register(data.get("username"), data.get("email"), data.get("password"));
  $("#signup-form").reset();
  $("#login-username").value = user.username;
  announce(`Account “${user.username}” created. Log in with it below.`);
  $("#login-password").focus();
});

onSubmit($("#login-form"), async (data) => {
  await api.login(data.get("username"), data.get("password"));
  username = data.get("username");
  $("#login-form").reset();
  render();
  announce(`Logged in as ${username}.`);
  await loadResumes(FIRST_PAGE);
  $("#resume-title").focus();
});

onClick($("#logout"), async () => {
  try {
    await api.logout();
    announce("Logged out: the refresh token is revoked.");
  } finally {
    // Signed out locally whatever the API said; a failure is still shown.
    username = null;
    stopEditing();
    $("#resume-list").replaceChildren();
    render();
    $("#login-username").focus();
  }
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
  item.dataset.id = resume.id;
  item.querySelector(".title").textContent = resume.title;
  item.querySelector(".summary").textContent = resume.summary;
  item.querySelector(".meta").textContent =
    `#${resume.id} · updated ${new Date(resume.updated_at).toLocaleString()}`;
  const link = item.querySelector(".photo");
  if (resume.image) {
    // The list shows the thumbnail; the link opens the full-size image.
    link.href = resume.image;
    link.querySelector("img").src = resume.image_thumbnail ?? resume.image;
    link.querySelector("img").alt = `Photo for “${resume.title}”`;
    item.querySelector(".no-photo").remove();
  } else {
    link.remove();
  }
  const edit = item.querySelector(".edit");
  edit.setAttribute("aria-label", `Edit “${resume.title}”`);
  edit.addEventListener("click", () => startEditing(resume));
  const remove = item.querySelector(".delete");
  remove.setAttribute("aria-label", `Delete “${resume.title}”`);
  onClick(remove, () => deleteResume(resume));
  return item;
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
  const saved = await api.saveResume(editing?.id, fields, file, data.get("via"));
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
  announce(`Résumé “${resume.title}” deleted.`);
  await loadResumes(FIRST_PAGE); // the current page may no longer exist
  $("#list-title").focus();
}

onClick($("#refresh"), () => loadResumes());
onClick($("#previous-page"), () => loadResumes(page.previous));
onClick($("#next-page"), () => loadResumes(page.next));

render();
// A link may name any API: say at once that this one is refused (every call refuses it too).
if (linked !== null && !allowedOrigin(linked, API_ORIGINS)) fail(notConfigured(linked));
