/* The symptom checker's enhancements. Everything works without them: every
   page is a plain GET form or link, and the answers travel in the URL. */
(function () {
  "use strict";

  // Keep the address bar in step with the answers on this page, so that Back
  // and Forward (and a reload) come back to the same answers. The URL is the
  // only place answers are kept: nothing goes to storage.
  function rememberAnswers(form) {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value !== "") params.append(name, value);
    });
    var query = params.toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    window.history.replaceState(window.history.state, "", url);
  }

  // "None of these" unticks the other boxes, and any other box unticks it
  // (the GOV.UK exclusive checkbox). Without JavaScript the server says so.
  function keepExclusive(input) {
    if (input.type !== "checkbox" || !input.checked) return;
    var others = input.form.querySelectorAll('input[type="checkbox"]');
    var exclusive = input.hasAttribute("data-checker-exclusive");
    others.forEach(function (other) {
      if (other === input) return;
      if (exclusive || other.hasAttribute("data-checker-exclusive")) other.checked = false;
    });
  }

  function onChange(event) {
    var input = event.target;
    var form = input.form;
    if (!form || !form.hasAttribute("data-checker-answers")) return;
    keepExclusive(input);
    rememberAnswers(form);
  }

  function onClick(event) {
    var button = event.target.closest("[data-checker-print]");
    if (button) window.print();
  }

  document.addEventListener("DOMContentLoaded", function () {
    // A page that loads with errors (GOV.UK pattern): focus the error summary.
    var summary = document.querySelector(".checker-error-summary[data-checker-focus]");
    if (summary) summary.focus();
  });
  document.addEventListener("change", onChange);
  document.addEventListener("click", onClick);
})();
