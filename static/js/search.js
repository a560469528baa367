/* Search enhancements. Without JavaScript the search box is a plain form and
   "Show more results" a link to the next page.

   1. The site-wide search box becomes a combobox (WAI-ARIA Authoring
      Practices, "list autocomplete"): htmx fetches the suggested pages into
      the listbox as the reader types (debounced by hx-trigger); Down/Up move
      through them (focus stays in the box, aria-activedescendant follows),
      Enter opens the chosen page (or searches, if none is chosen), Escape
      closes the list (or clears the box when it is closed).
   2. After "Show more results" appends a page of results, focus moves to the
      first new result and the new range is announced. */
(function () {
  "use strict";

  var input = document.getElementById("site-search");
  var list = document.getElementById("site-search-options");
  var status = document.getElementById("live-status");

  function options() {
    return list ? Array.prototype.slice.call(list.querySelectorAll('[role="option"]')) : [];
  }

  function active() {
    var id = input.getAttribute("aria-activedescendant");
    return id ? document.getElementById(id) : null;
  }

  function setActive(option) {
    options().forEach(function (each) {
      each.setAttribute("aria-selected", each === option ? "true" : "false");
    });
    if (option) {
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    if (!options().length) return close();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    setActive(null);
  }

  function go(option) {
    window.location.assign(option.getAttribute("data-href"));
  }

  function move(step) {
    var all = options();
    if (!all.length) return;
    if (list.hidden) open();
    // Past either end is the box itself (no option chosen); from there, Up goes to the last.
    var current = all.indexOf(active());
    var index = current === -1 && step < 0 ? all.length - 1 : current + step;
    setActive(all[index] || null);
  }

  function onKey(event) {
    if (event.altKey && event.key === "ArrowDown") {
      open();
    } else if (event.key === "ArrowDown") {
      move(1);
    } else if (event.key === "ArrowUp") {
      move(-1);
    } else if (event.key === "Enter" && active() && !list.hidden) {
      go(active());
    } else if (event.key === "Escape") {
      if (!list.hidden) close();
      else input.value = "";
    } else {
      return;
    }
    event.preventDefault();
  }

  function onSuggestions(event) {
    if (event.detail.target !== list) return;
    setActive(null);
    var count = options().length;
    if (count && document.activeElement === input) open();
    else close();
    if (status) {
      status.textContent = count
        ? count + (count === 1 ? " suggestion" : " suggestions") + ". Use the down arrow to choose."
        : "";
    }
  }

  function enhanceCombobox() {
    if (!input || !list) return;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.addEventListener("keydown", onKey);
    input.addEventListener("blur", close);
    input.addEventListener("input", function () {
      if (!input.value.trim()) {
        list.innerHTML = "";
        close();
      }
    });
    // mousedown, not click: it comes before the box loses focus and closes the list.
    list.addEventListener("mousedown", function (event) {
      var option = event.target.closest('[role="option"]');
      if (!option) return;
      event.preventDefault();
      go(option);
    });
    document.body.addEventListener("htmx:afterSwap", onSuggestions);
  }

  var shownBefore = 0;

  function isMoreResults(event) {
    var target = event.detail.target;
    return target && target.id === "search-list";
  }

  function beforeMoreResults(event) {
    if (isMoreResults(event)) shownBefore = event.detail.target.children.length;
  }

  function afterMoreResults(event) {
    if (!isMoreResults(event)) return;
    var results = event.detail.target;
    var text =
      "Results 1 to " + results.children.length + " of " + results.getAttribute("data-total") + ".";
    var range = document.getElementById("search-range");
    if (range) range.textContent = text;
    if (status) status.textContent = text;
    var firstNew = results.children[shownBefore];
    var link = firstNew && firstNew.querySelector("a");
    if (link) link.focus();
  }

  enhanceCombobox();
  document.body.addEventListener("htmx:beforeSwap", beforeMoreResults);
  document.body.addEventListener("htmx:afterSettle", afterMoreResults);
})();
