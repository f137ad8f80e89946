// Evidence files and links on the matrix and review pages, attached and removed without
// leaving the page: the page's background save is settled first (the evidence claims the
// assessment's next version), the file or link is sent, and the answer's new version goes
// into the page's form so its next save is not refused as stale. A refusal is said beside
// the evidence and changes nothing else on the page. Without this script the forms post
// normally and the page comes back with a message.
(function () {
  "use strict";

  if (!window.fetch || !window.FormData || !window.Promise) return;

  function pageForm() {
    return document.querySelector("form[data-autosave-url]");
  }

  function say(status, text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("evidence-status-error", Boolean(isError));
  }

  function setVersion(version) {
    document
      .querySelectorAll("form[data-autosave-url] input[name='version'], form[data-evidence-form] input[name='version']")
      .forEach(function (input) {
        input.value = version;
      });
  }

  function replaceList(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var list = holder.firstElementChild;
    var old = list && document.getElementById(list.id);
    if (old) old.replaceWith(list);
  }

  function clearInputs(form) {
    Array.prototype.forEach.call(form.elements, function (input) {
      if (input.type === "file" || input.type === "url" || (input.type === "text" && input.name === "title")) {
        input.value = "";
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-evidence-form]")) return;
    event.preventDefault();
    var submitter = event.submitter;
    if (submitter && submitter.dataset.evidenceConfirm && !window.confirm(submitter.dataset.evidenceConfirm)) {
      return;
    }
    var action = (submitter && submitter.getAttribute("formaction")) || form.getAttribute("action");
    var owner = form.id.indexOf("evidence-add-") === 0 ? form.id.slice("evidence-add-".length) : null;
    var block = owner
      ? document.querySelector(".evidence-block[data-evidence-owner='" + owner + "']")
      : submitter && submitter.closest(".evidence-block");
    var status = block && block.querySelector(".evidence-status");
    var page = pageForm();
    var buttons = document.querySelectorAll("button[form='" + form.id + "']");
    buttons.forEach(function (button) {
      button.disabled = true;
    });
    say(status, owner ? "Attaching…" : "Removing…");
    // What the request ended with, said once the buttons work again.
    var outcome = ["Nothing changed.", true];
    var settled = page && page.whenSaved ? page.whenSaved() : Promise.resolve();
    settled
      .then(function () {
        var version = page && page.querySelector("input[name='version']");
        if (version) setVersion(version.value);
        if (page && page.holdSaves) page.holdSaves(true);
        return window.fetch(action, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-Requested-With": "fetch" },
        });
      })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          outcome = ["Nothing changed: you may have been logged out. Copy anything you typed, then reload the page.", true];
          return;
        }
        return response.json().then(function (data) {
          if (response.ok && data.saved) {
            setVersion(data.version);
            if (data.html) replaceList(data.html);
            if (owner) clearInputs(form);
            outcome = [data.message, false];
            return;
          }
          outcome = [data.message || "Nothing changed.", true];
        });
      })
      .catch(function () {
        outcome = ["Nothing changed: no connection. Try again in a moment.", true];
      })
      .then(function () {
        buttons.forEach(function (button) {
          button.disabled = false;
        });
        if (page && page.holdSaves) page.holdSaves(false);
        say(status, outcome[0], outcome[1]);
      });
  });
})();
