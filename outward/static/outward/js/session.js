// Sessions that end without losing work (loaded on signed-in pages only; every page works
// without this file):
// - a few minutes before the session would end for lack of activity, a dialog offers
//   "Stay signed in" (a POST to the keep-alive URL renews the session);
// - after signing in again, what was typed into a form whose session had ended is put back
//   into that form (the server kept it; see accounts.middleware.SessionSafetyMiddleware).
//   Nothing is saved until the person presses Save.
(() => {
  "use strict";

  const body = document.body;
  const dialog = document.querySelector("[data-session-warning]");
  const idleSeconds = Number(body.dataset.sessionIdle);
  let endsAt = 0;
  let timer = null;

  // `seconds`: what the server says is left, idle time-out and absolute lifetime both counted.
  function plan(seconds) {
    endsAt = Date.now() + seconds * 1000;
    const warnBefore = Math.min(120, Math.floor(seconds / 2));
    clearTimeout(timer);
    timer = setTimeout(warn, Math.max(0, seconds - warnBefore) * 1000);
  }

  function warn() {
    if (dialog && !dialog.open) dialog.showModal();
    clearTimeout(timer);
    timer = setTimeout(ended, Math.max(0, endsAt - Date.now()));
  }

  function ended() {
    if (!dialog) return;
    dialog.querySelector("[data-session-warning-text]").hidden = true;
    dialog.querySelector("[data-session-ended-text]").hidden = false;
    dialog.querySelector("[data-keep-alive]").hidden = true;
    if (!dialog.open) dialog.showModal();
  }

  function stayed(seconds) {
    plan(seconds);
    if (dialog && dialog.open) dialog.close();
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("[data-keep-alive]");
    if (!form) return;
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then((response) => {
        const json = (response.headers.get("Content-Type") || "").startsWith("application/json");
        return response.ok && json ? response.json() : null;
      })
      .then((answer) => (answer && answer.seconds > 0 ? stayed(answer.seconds) : ended()))
      .catch(ended);
  });

  // htmx requests renew the session on the server just as page loads do (at most once a
  // minute); the answer says how long the session now has.
  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail && event.detail.xhr;
    const seconds = Number(xhr && xhr.getResponseHeader("X-Session-Seconds"));
    if (seconds > 0) stayed(seconds);
  });

  function restore() {
    const data = document.getElementById("outward-restored-form");
    if (!data) return;
    const kept = JSON.parse(data.textContent);
    const values = new Map();
    for (const [name, value] of kept.fields) {
      if (!values.has(name)) values.set(name, []);
      values.get(name).push(value);
    }
    const forms = Array.from(document.querySelectorAll("main form"));
    const score = (form) => Array.from(values.keys()).filter((name) => form.elements[name]).length;
    const form =
      forms.find((candidate) => new URL(candidate.action).pathname === kept.action) ||
      forms.sort((a, b) => score(b) - score(a))[0];
    if (!form) return;
    const used = new Map();
    for (const field of Array.from(form.elements)) {
      if (!field.name || field.type === "hidden" || field.type === "file") continue;
      const typed = values.get(field.name);
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = Boolean(typed && typed.includes(field.value));
      } else if (field.multiple && field.options) {
        for (const option of field.options) option.selected = Boolean(typed && typed.includes(option.value));
      } else if (typed) {
        const index = used.get(field.name) || 0;
        if (index < typed.length) field.value = typed[index];
        used.set(field.name, index + 1);
      }
    }
    const first = form.querySelector("input:not([type=hidden]), textarea, select");
    if (first) first.focus();
  }

  restore();
  if (Number.isFinite(idleSeconds) && idleSeconds > 0) plan(Number(body.dataset.sessionSeconds));
})();
