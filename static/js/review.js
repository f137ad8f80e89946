// The director's review: "agree with the coordinator's levels" for one category or the whole
// matrix. Without this script the buttons post the form and the server copies the levels;
// with it, the levels are chosen on the page (the background save of assessment.js then
// saves them as the director's own) and the director changes what they disagree with.
(function () {
  "use strict";

  var form = document.getElementById("review-form");
  if (!form) return;
  var status = form.querySelector(".save-status");

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-agree]");
    if (!button) return;
    event.preventDefault();
    var scope = button.dataset.agree === "all"
      ? form
      : document.getElementById("review-category-" + button.dataset.agree);
    var fieldsets = Array.prototype.slice.call(scope.querySelectorAll("fieldset[data-self-level]"));
    var replaced = fieldsets.filter(function (fieldset) {
      var checked = fieldset.querySelector("input[type='radio']:checked");
      return checked && checked.value !== fieldset.dataset.selfLevel;
    }).length;
    if (
      replaced &&
      !window.confirm(
        "This changes " + replaced + (replaced === 1 ? " level" : " levels") +
          " you chose to the coordinator's. Continue?"
      )
    ) {
      return;
    }
    var changed = 0;
    fieldsets.forEach(function (fieldset) {
      var radio = fieldset.querySelector(
        "input[type='radio'][value='" + fieldset.dataset.selfLevel + "']"
      );
      if (radio && !radio.checked) {
        radio.checked = true;
        radio.dispatchEvent(new Event("change", { bubbles: true }));
        changed += 1;
      }
    });
    if (status && changed === 0) {
      status.textContent = "Your levels here already match the coordinator's.";
    }
  });
})();
