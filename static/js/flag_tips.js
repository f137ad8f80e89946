// Flag badges on the dashboard: the explanation shows on hover and on keyboard focus (Bootstrap
// tooltip) and Escape hides it again (WCAG 1.4.13). Without JavaScript the title attribute
// shows it on hover, and screen readers read the visually-hidden text beside each badge.
(function () {
  "use strict";
  if (!window.bootstrap || !window.bootstrap.Tooltip) {
    return;
  }
  var badges = document.querySelectorAll('[data-bs-toggle="tooltip"]');
  badges.forEach(function (badge) {
    new window.bootstrap.Tooltip(badge, { trigger: "hover focus", placement: "top" });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") {
      return;
    }
    badges.forEach(function (badge) {
      var tip = window.bootstrap.Tooltip.getInstance(badge);
      if (tip) {
        tip.hide();
      }
    });
  });
})();
