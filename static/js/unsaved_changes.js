// Forms without a background save that hold a lot of typing (the rubric editor): a warning
// before leaving the page with changes not saved yet, and links marked data-save-then that
// save the form first and then go where they point (the editor's category tabs), so moving
// between categories never drops an edit. A static file (no inline script: strict CSP).
(function () {
  "use strict";

  function setUp(form) {
    var dirty = false;
    var submitEvent = null;
    var thenInput = form.querySelector("input[name='then']");
    var saveButton = form.querySelector("[data-save-button]");

    function changed() {
      dirty = true;
    }
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function (event) {
      submitEvent = event;
    });

    document.querySelectorAll("a[data-save-then]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        if (!dirty || !thenInput) return;
        event.preventDefault();
        thenInput.value = link.dataset.saveThen;
        if (form.requestSubmit) {
          form.requestSubmit(saveButton || undefined);
        } else {
          form.submit();
        }
      });
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitEvent && !submitEvent.defaultPrevented) return; // leaving by saving
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });
    window.addEventListener("pageshow", function () {
      // Back to this page from the browser's history: what is on it was saved or dropped.
      submitEvent = null;
    });
  }

  document.querySelectorAll("form[data-unsaved-warning]").forEach(setUp);
})();
