/* Character counters: keep "N of M characters" under a text field up to date while typing. */
(function () {
  "use strict";

  // Numbers grouped as the page's language writes them: 1,234 in English, 1.234 in Danish.
  var numbers = new Intl.NumberFormat(document.documentElement.lang || "en");
  var TEXT = window.gettext ? gettext("%(used)s of %(limit)s characters") : "%(used)s of %(limit)s characters";

  function length(value) {
    // A form sends each line break as two characters (CR LF), and the server counts both.
    return value.replace(/\r?\n/g, "\r\n").length;
  }

  function attach(counter) {
    var field = document.getElementById(counter.getAttribute("data-counter-for"));
    var limit = parseInt(counter.getAttribute("data-counter-limit"), 10);
    if (!field || !limit) {
      return;
    }
    var described = field.getAttribute("aria-describedby");
    field.setAttribute("aria-describedby", described ? described + " " + counter.id : counter.id);

    function update() {
      var used = length(field.value);
      counter.textContent = TEXT
        .replace("%(used)s", numbers.format(used))
        .replace("%(limit)s", numbers.format(limit));
      counter.classList.toggle("is-over", used > limit);
    }

    field.addEventListener("input", update);
    update();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-counter-for]").forEach(attach);
  });
})();
