/* Progressive enhancements for the public pages. Everything works without it. */
(function () {
  "use strict";

  // Open the FAQ answer named in the URL (/faq/#<slug>), on load and when the
  // hash changes, and bring its question into view. (Browsers that reveal
  // fragment targets inside <details> do the opening themselves.)
  function openTargetedDetails() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!id) return;
    var target = document.getElementById(id);
    var details = target && target.closest("details");
    if (details) {
      details.open = true;
      details.scrollIntoView();
      var summary = details.querySelector("summary");
      if (summary) summary.focus({ preventScroll: true });
    }
  }

  // After htmx replaces a list of results, tell screen-reader users how many
  // there are now (the new count is in the swapped content's data-results-count).
  function announceResults(event) {
    var status = document.getElementById("live-status");
    var target = event.detail && event.detail.target;
    if (!status || !target) return;
    // With outerHTML swaps the old target is gone: find its replacement by id.
    var region = (target.id && document.getElementById(target.id)) || target;
    var count = region.querySelector("[data-results-count]");
    if (count) status.textContent = count.textContent.trim();
  }

  document.addEventListener("DOMContentLoaded", openTargetedDetails);
  window.addEventListener("hashchange", openTargetedDetails);
  document.addEventListener("htmx:afterSettle", announceResults);
})();
