// Site-wide behaviour; no inline scripts (Content-Security-Policy).
(function () {
  "use strict";

  // Whether the action of ``submitter`` can succeed as the form stands. A button with
  // data-confirm-needs-levels needs a level chosen on every indicator of its form; one with
  // data-confirm-needs-text="<id>" needs that field filled. When it cannot, the form is sent
  // without a question and the page says what is missing: never "Submit?" then a refusal.
  function canSucceed(form, submitter) {
    if (!submitter) return true;
    if (submitter.hasAttribute("data-confirm-needs-levels")) {
      var chosen = {};
      form.querySelectorAll(".matrix-indicator input[type='radio']").forEach(function (radio) {
        chosen[radio.name] = chosen[radio.name] || radio.checked;
      });
      for (var name in chosen) {
        if (!chosen[name]) return false;
      }
    }
    var needed = submitter.dataset.confirmNeedsText;
    if (needed) {
      var field = document.getElementById(needed);
      if (field && !field.value.trim()) return false;
    }
    return true;
  }

  // A form or button with data-confirm asks before it does anything destructive.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (!message || !canSucceed(form, submitter)) return;
    if (!window.confirm(message)) {
      event.preventDefault();
    }
  });

  // A table wider than its box scrolls sideways (.table-responsive). Keyboard users must be
  // able to reach and scroll it, so while it overflows the box is a focusable region named
  // after the table's caption; when the window grows and it fits again, it stops being one.
  function markScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
        box.dataset.scrollRegion = "true";
      } else if (!scrolls && box.dataset.scrollRegion) {
        ["tabindex", "role", "aria-label", "data-scroll-region"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }
  markScrollingTables();
  window.addEventListener("resize", markScrollingTables);
})();
