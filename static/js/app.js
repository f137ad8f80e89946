// Site-wide behaviour; no inline scripts (Content-Security-Policy).
(function () {
  "use strict";
  // A form or button with data-confirm asks before it does anything destructive.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
})();
