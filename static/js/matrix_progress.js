// The coordinator's matrix: how many indicators have a level ("12 of 19 rated"), each
// category's state in the jump list (in words: "complete" or "3 of 5 rated"), and a button
// that folds a complete category away and brings it back. A static file (strict CSP).
(function () {
  "use strict";

  var form = document.getElementById("matrix-form");
  if (!form) return;
  var sections = Array.prototype.slice.call(form.querySelectorAll("section[data-category]"));

  function ratedIn(section) {
    var names = {};
    section.querySelectorAll("input[type='radio']:checked").forEach(function (radio) {
      names[radio.name] = true;
    });
    return Object.keys(names).length;
  }

  function setFolded(section, folded) {
    var button = section.querySelector(".matrix-fold");
    var body = section.querySelector(".matrix-category-body");
    if (!button || !body) return;
    body.hidden = folded;
    button.setAttribute("aria-expanded", folded ? "false" : "true");
    button.firstChild.textContent = folded ? "Show" : "Hide";
  }

  function refresh() {
    var rated = 0;
    sections.forEach(function (section) {
      var key = section.dataset.category;
      var size = Number(section.dataset.categorySize);
      var count = ratedIn(section);
      var complete = size > 0 && count === size;
      rated += count;
      var state = document.querySelector("[data-category-state='" + key + "']");
      if (state) {
        var words = complete ? "complete" : count + " of " + size + " rated";
        if (state.textContent !== words) state.textContent = words;
        state.classList.toggle("is-complete", complete);
      }
      var button = section.querySelector(".matrix-fold");
      if (button) button.hidden = !complete;
    });
    document.querySelectorAll("[data-progress-rated]").forEach(function (counter) {
      if (counter.textContent !== String(rated)) counter.textContent = String(rated);
    });
  }

  sections.forEach(function (section) {
    var button = section.querySelector(".matrix-fold");
    if (!button) return;
    button.addEventListener("click", function () {
      setFolded(section, button.getAttribute("aria-expanded") === "true");
    });
  });

  // A link to a place inside a folded category (the jump list, the missing levels) opens it.
  function unfoldTarget() {
    var id = window.location.hash.slice(1);
    var target = id && document.getElementById(id);
    var body = target && target.closest(".matrix-category-body");
    if (body && body.hidden) {
      setFolded(body.closest("section[data-category]"), false);
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", unfoldTarget);

  form.addEventListener("change", function (event) {
    if (event.target.type === "radio") refresh();
  });
  refresh();
})();
