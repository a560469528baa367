// The admin's live preview: the "Preview" button posts the form into the
// frame beside it without JavaScript; this only presses it for the editor a
// moment after they stop typing in a text field.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  const button = document.querySelector(".preview-button");
  if (!button || !button.form || !button.form.requestSubmit) {
    return;
  }
  const form = button.form;
  const WAIT_MS = 800;
  let timer = null;
  form.addEventListener("input", function (event) {
    if (!event.target.matches("textarea, input[type='text']")) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      form.requestSubmit(button);
    }, WAIT_MS);
  });
});
