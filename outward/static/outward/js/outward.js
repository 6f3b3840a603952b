// Small behaviours, switched on by data- attributes. Every page works without this file.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-target]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copyTarget);
  field.select();
  navigator.clipboard.writeText(field.value).then(() => {
    const status = document.getElementById(button.dataset.copyStatus);
    if (status) status.textContent = button.dataset.copiedText;
  });
});

// A "Print" button (hidden until this script runs: without it, the browser's own Print works).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});

// A role-play's visible timer (skills/scenario_play.html): minutes and seconds since the
// start the page carries; without this file the page shows the start time instead.
for (const timer of document.querySelectorAll("[data-timer-start]")) {
  const start = Number(timer.dataset.timerStart) * 1000;
  const elapsed = timer.querySelector("[data-timer-elapsed]");
  const tick = () => {
    const seconds = Math.max(0, Math.floor((Date.now() - start) / 1000));
    elapsed.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  };
  tick();
  elapsed.parentElement.hidden = false;
  setInterval(tick, 1000);
}

// A form's error summary (includes/form_errors.html) takes the focus so that a screen reader
// reads it first, also when htmx swaps one in (on a full page, its autofocus does it).
document.addEventListener("htmx:afterSwap", (event) => {
  event.detail.target.querySelector("[data-error-summary]")?.focus();
});

// A time-zone box (includes/time_zone_input.html): where the person has not chosen yet
// (data-prefer-device), it starts as this device's zone; elsewhere a button offers it when
// it differs from the one saved. Only a zone of the box's own list is ever put in.
for (const button of document.querySelectorAll("[data-device-zone]")) {
  const input = document.getElementById(button.dataset.deviceZone);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const known = input.list && [...input.list.options].some((option) => option.value === zone);
  if (!known || input.value === zone) continue;
  if (input.hasAttribute("data-prefer-device")) {
    input.value = zone;
    continue;
  }
  button.textContent = `${button.dataset.label} ${zone}`;
  button.hidden = false;
  button.addEventListener("click", () => {
    input.value = zone;
    button.hidden = true;
    input.focus();
  });
}
