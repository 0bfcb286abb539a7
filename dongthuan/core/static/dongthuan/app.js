// What the templates do in the browser, kept out of the HTML: the Content-Security-Policy (settings.py) allows no
// inline script and no event handler attribute. Listeners sit on the document, so content swapped in by htmx works.
(function () {
  "use strict";

  // A form or a submit button with data-confirm asks first; "Cancel" stops it before htmx or the browser sends it.
  function confirmed(element, event) {
    var message = element && element.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }
  document.addEventListener("click", function (event) {
    confirmed(event.target.closest && event.target.closest("button[data-confirm], input[data-confirm]"), event);
  }, true);
  document.addEventListener("submit", function (event) {
    if (event.target.matches && event.target.matches("form[data-confirm]")) {
      confirmed(event.target, event);
    }
  }, true);

  // A select with data-autosubmit sends its form when changed (the language menu).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });

  // The organisation tree: a node's button folds and unfolds its children (htmx loads them on the first click).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-tree-toggle]");
    if (!button) {
      return;
    }
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    button.textContent = open ? "▾" : "▸";
    var children = button.parentElement.querySelector("ul");
    if (children) {
      children.hidden = !open;
    }
  });
})();
