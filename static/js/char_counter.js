// Every textarea with a length limit (data-max-length, never maxlength, which cuts pasted
// text short without a word) shows how much of it is used, and says plainly when the text
// is over: the server refuses it then and shows it back whole. The visible count changes
// as the person types; screen readers hear only the moments that matter (nearly full, over
// the limit, back within it), through one polite live region. A static file (strict CSP).
(function () {
  "use strict";

  var NEARLY = 0.9;
  var format = new Intl.NumberFormat();
  var announcer = null;
  var announceTimer = null;

  function announce(text) {
    if (!announcer) {
      announcer = document.createElement("div");
      announcer.className = "visually-hidden";
      announcer.setAttribute("aria-live", "polite");
      announcer.id = "char-count-announcer";
      document.body.appendChild(announcer);
    }
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () {
      announcer.textContent = text;
    }, 400);
  }

  function setUp(textarea, index) {
    var limit = Number(textarea.dataset.maxLength);
    if (!limit) return;
    var counter = document.createElement("p");
    counter.className = "char-count";
    counter.id = (textarea.id || "text-" + index) + "-count";
    var anchor = textarea;
    // After the field's own error message, if there is one.
    while (anchor.nextElementSibling && anchor.nextElementSibling.classList.contains("invalid-feedback")) {
      anchor = anchor.nextElementSibling;
    }
    anchor.insertAdjacentElement("afterend", counter);
    var described = (textarea.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(counter.id);
    textarea.setAttribute("aria-describedby", described.join(" "));
    var serverInvalid = textarea.getAttribute("aria-invalid") === "true";
    var state = null;

    function update() {
      var used = textarea.value.length;
      var over = used > limit;
      var text = format.format(used) + " of " + format.format(limit) + " characters";
      if (over) {
        text += " — " + format.format(used - limit) + " over the limit. Shorten it to save; nothing is cut.";
      }
      counter.textContent = text;
      counter.classList.toggle("is-over", over);
      textarea.classList.toggle("is-invalid", over || serverInvalid);
      if (over) {
        textarea.setAttribute("aria-invalid", "true");
      } else if (!serverInvalid) {
        textarea.removeAttribute("aria-invalid");
      }
      var next = over ? "over" : used >= limit * NEARLY ? "nearly" : "fine";
      if (state !== null && next !== state) {
        if (next === "over") {
          announce("Over the limit: " + text);
        } else if (next === "nearly") {
          announce(format.format(limit - used) + " characters left of " + format.format(limit) + ".");
        } else if (state === "over") {
          announce("Back within the limit of " + format.format(limit) + " characters.");
        }
      }
      state = next;
    }

    textarea.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("textarea[data-max-length]").forEach(setUp);
})();
