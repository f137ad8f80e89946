// The matrix and review forms: background saving with a visible status, and a warning
// before leaving with unsaved changes. A static file (no inline script: strict CSP).
//
// A form with data-autosave-url posts itself there (the same fields as "Save draft") a
// moment after the person stops typing or picks a level. The server answers JSON with the
// new version number, which goes into the form so the next save is not refused as stale.
// A conflict (409: saved in another tab or by someone else) stops background saving; the
// person presses "Save draft" and the page shows both versions. A refused security token
// (403, after signing in again elsewhere) also stops it: the text stays on the page and the
// message asks for a reload. Too many saves in a short time (429) keeps the text and saves
// again after the Retry-After the server names.
(function () {
  "use strict";

  var DELAY_MS = 1500;
  var RETRY_MS = 15000;

  function setUp(form) {
    var url = form.dataset.autosaveUrl;
    var status = form.querySelector(".save-status");
    var versionInput = form.querySelector("input[name='version']");
    var edits = 0; // changes made since the page loaded
    var savedEdits = 0; // edits included in the last successful save
    var timer = null;
    var inFlight = null;
    var stopped = false;
    var submitEvent = null;
    var pendingSubmitter = null;
    var notBefore = 0; // after "too many saves": no save before this time (ms)
    var held = false; // while evidence is attached or removed (static/js/evidence.js)

    function dirty() {
      return edits !== savedEdits;
    }

    function say(text, isError) {
      if (!status) return;
      status.textContent = text;
      status.classList.toggle("save-status-error", Boolean(isError));
    }

    function schedule(delay) {
      if (!url || stopped) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(save, Math.max(delay, notBefore - Date.now()));
    }

    function save() {
      if (!dirty() || stopped) return null;
      if (inFlight || held) {
        schedule(DELAY_MS);
        return inFlight;
      }
      var sending = edits;
      say("Saving…");
      inFlight = window
        .fetch(url, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          if (type.indexOf("application/json") === -1) {
            // A login page or an error page: retrying will not help.
            stopped = true;
            say(
              "Not saved: you may have been logged out. Copy anything long you typed, then " +
                "reload the page.",
              true
            );
            return;
          }
          return response.json().then(function (data) {
            if (response.ok && data.saved) {
              if (versionInput) versionInput.value = data.version;
              savedEdits = sending;
              say(dirty() ? "Saved at " + data.saved_at + "; saving newer changes…" : "Saved at " + data.saved_at + ".");
              if (dirty()) schedule(DELAY_MS);
              return;
            }
            if (response.status === 429) {
              // Too many saves at once: keep the text and save again when the server says.
              say(data.message || "Not saved yet.", true);
              notBefore = Date.now() + 1000 * (Number(response.headers.get("Retry-After")) || 5);
              schedule(0);
              return;
            }
            stopped = stopped || response.status === 409 || response.status === 403;
            say(data.message || "Not saved.", true);
          });
        })
        .catch(function (error) {
          say((error && error.message) || "Not saved: no connection. Trying again soon.", true);
          schedule(RETRY_MS);
        })
        .then(function () {
          inFlight = null;
          if (pendingSubmitter !== null) {
            var submitter = pendingSubmitter;
            pendingSubmitter = null;
            if (form.requestSubmit) {
              form.requestSubmit(submitter || undefined);
            } else {
              form.submit();
            }
          }
        });
      return inFlight;
    }

    // For evidence.js: settle the background save first (its version is the one the evidence
    // claims next), hold the next one until the evidence is recorded, and take the version the
    // server answered with.
    form.whenSaved = function () {
      window.clearTimeout(timer);
      var pending = dirty() && !stopped ? save() : inFlight;
      return Promise.resolve(pending).then(function () {
        return inFlight ? form.whenSaved() : null;
      });
    };
    form.holdSaves = function (hold) {
      held = hold;
      if (!hold && dirty()) schedule(DELAY_MS);
    };

    function changed(event) {
      // Evidence inputs sit among the page's fields but belong to their own forms.
      if (event && event.target && event.target.form && event.target.form !== form) return;
      edits += 1;
      if (!stopped) say("Unsaved changes…");
      schedule(DELAY_MS);
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", function (event) {
      if (event.target.type !== "radio" || event.target.form !== form) return;
      // A level is chosen: this indicator is no longer missing one.
      var fieldset = event.target.closest("fieldset");
      if (fieldset && fieldset.classList.contains("matrix-indicator-invalid")) {
        fieldset.classList.remove("matrix-indicator-invalid");
        fieldset.querySelectorAll(".matrix-error").forEach(function (error) {
          error.hidden = true;
        });
        fieldset.querySelectorAll("input[type='radio']").forEach(function (radio) {
          radio.removeAttribute("aria-invalid");
          radio.removeAttribute("aria-describedby");
        });
      }
      changed(event);
    });

    form.addEventListener("submit", function (event) {
      window.clearTimeout(timer);
      if (inFlight) {
        // Wait for the background save, whose new version number this submission needs.
        event.preventDefault();
        event.stopImmediatePropagation();
        pendingSubmitter = event.submitter || false;
        say("Finishing the background save…");
        return;
      }
      submitEvent = event;
      window.setTimeout(function () {
        // Cancelled at the confirmation question: keep saving in the background.
        if (event.defaultPrevented && dirty()) schedule(DELAY_MS);
      }, 0);
    });

    window.addEventListener("beforeunload", function (event) {
      if (submitEvent && !submitEvent.defaultPrevented) return; // leaving by saving
      if (!dirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
  }

  document.querySelectorAll("form[data-warn-unsaved]").forEach(setUp);
})();
