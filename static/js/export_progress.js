// The export progress page: asks for the export's state every two seconds, shows how many rows
// are written, and reloads the page (which then offers the file, or says what failed) once the
// export is done. Without JavaScript the page reloads itself instead (a meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("export-progress");
  if (!box || !window.fetch) {
    return;
  }
  var state = box.querySelector("[data-export-state]");
  var rows = box.querySelector("[data-export-rows]");
  var bar = box.querySelector("[data-export-bar]");

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.json();
      })
      .then(function (status) {
        if (!status.pending) {
          window.location.reload();
          return;
        }
        state.textContent = status.state_label;
        rows.textContent = status.rows_done + " of " + status.rows_total;
        bar.max = Math.max(status.rows_total, 1);
        bar.value = status.rows_done;
        bar.textContent = status.percent + "%";
        window.setTimeout(poll, 2000);
      })
      .catch(function () {
        // A lost connection or a restarting server: try again a little later.
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 2000);
})();
