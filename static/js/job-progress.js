/* A job's progress page follows its job: it asks the job's status address every two seconds
   and moves the bar, the percentage and the step. When the job is ready or has failed, the page
   is loaded again, and the server shows the download, the import's summary or the error. No
   script stands in the page itself (strict CSP): the page names its status address in
   data-job-status. */
(function () {
  "use strict";

  var INTERVAL = 2000;
  var SLOWER = 10000;

  function start(panel) {
    var url = panel.getAttribute("data-job-status");
    var bar = panel.querySelector("progress");
    var failures = 0;

    function show(status) {
      if (bar) {
        bar.value = status.percent;
        bar.textContent = status.percent + "%";
      }
      ["state_label", "percent", "step"].forEach(function (name) {
        var field = panel.querySelector('[data-job-field="' + name + '"]');
        if (field) {
          field.textContent = String(status[name]);
        }
      });
      panel.setAttribute("data-job-state", status.state);
    }

    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("status " + response.status);
          }
          return response.json();
        })
        .then(function (status) {
          failures = 0;
          show(status);
          if (status.finished) {
            window.location.reload();
            return;
          }
          window.setTimeout(poll, INTERVAL);
        })
        .catch(function () {
          // The server may be restarting: ask again, less often, and say so after a while.
          failures += 1;
          if (failures === 3) {
            var note = panel.querySelector("[data-job-reload]");
            if (note) {
              note.textContent = window.gettext
                ? gettext("The server does not answer just now; the job goes on. Reload the page later.")
                : "The server does not answer just now; the job goes on. Reload the page later.";
            }
          }
          window.setTimeout(poll, SLOWER);
        });
    }

    window.setTimeout(poll, INTERVAL / 2);
  }

  document.addEventListener("DOMContentLoaded", function () {
    var panel = document.querySelector("[data-job-status]");
    if (panel && panel.getAttribute("data-job-state") !== "done" && panel.getAttribute("data-job-state") !== "failed") {
      start(panel);
    }
  });
})();
