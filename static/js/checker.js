/* The symptom checker's enhancements. Everything works without them: the form
   is a plain GET form and the result page is complete without JavaScript. */
(function () {
  "use strict";

  // Show the print and copy buttons, which only work with JavaScript.
  function enhance(root) {
    root.querySelectorAll("[data-checker-print]").forEach(function (button) {
      button.hidden = false;
    });
    if (navigator.clipboard && window.isSecureContext) {
      root.querySelectorAll("[data-checker-copy]").forEach(function (button) {
        button.hidden = false;
      });
    }
  }

  function announce(message) {
    var status = document.getElementById("live-status");
    if (status) status.textContent = message;
  }

  // After htmx swaps in a new result (or error summary), move focus to its
  // heading so keyboard and screen-reader users land on what changed.
  function focusResult(event) {
    var region = event.target;
    if (!region || region.id !== "checker-result") return;
    enhance(region);
    var heading = region.querySelector("[data-checker-focus]");
    if (heading) heading.focus();
  }

  function onClick(event) {
    var button = event.target.closest("[data-checker-print], [data-checker-copy]");
    if (!button) return;
    if (button.hasAttribute("data-checker-print")) {
      window.print();
      return;
    }
    var source = document.getElementById(button.getAttribute("data-checker-copy"));
    if (!source) return;
    navigator.clipboard.writeText(source.textContent).then(
      function () { announce("Summary copied."); },
      function () { announce("Could not copy. Select the text and copy it instead."); }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    enhance(document);
    // A page that loads with errors (GOV.UK pattern): focus the error summary.
    var summary = document.querySelector(".checker-error-summary[data-checker-focus]");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:afterSwap", focusResult);
  document.addEventListener("click", onClick);
})();
