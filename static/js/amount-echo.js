/* Amount fields: while the user types, show under the field the exact DKK it will be saved as,
   or why it cannot be read ("48,500" could be 48.5 or 48,500). The server reads the figure with
   the same parser as on saving (the address in <meta name="amount-exact-url">). */
(function () {
  "use strict";

  var DELAY = 300;

  function echoFor(field) {
    var id = field.id + "_exact";
    var echo = document.getElementById(id);
    if (!echo) {
      echo = document.createElement("span");
      echo.id = id;
      echo.className = "amount-exact";
      var box = field.closest(".amount-input") || field;
      box.insertAdjacentElement("afterend", echo);
    }
    echo.setAttribute("aria-live", "polite");
    var described = (field.getAttribute("aria-describedby") || "").split(" ");
    if (described.indexOf(id) < 0) {
      described.push(id);
      field.setAttribute("aria-describedby", described.join(" ").trim());
    }
    return echo;
  }

  function attach(field, address) {
    var echo = echoFor(field);
    var timer = null;
    var asked = 0;

    function show(text, problem) {
      echo.textContent = text;
      echo.classList.toggle("is-problem", Boolean(problem));
    }

    function ask() {
      var value = field.value.trim();
      var number = ++asked;
      if (!value) {
        show("", false);
        return;
      }
      var url = address + "?" + new URLSearchParams({ unit: field.getAttribute("data-amount-unit"), value: value });
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) {
          if (!answer || number !== asked) {
            return;
          }
          if (answer.error) {
            show(answer.error, true);
          } else {
            show(answer.exact ? "= " + answer.exact : "", false);
          }
        })
        .catch(function () { /* Offline: the form still checks the figure on saving. */ });
    }

    field.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
    field.addEventListener("change", function () {
      window.clearTimeout(timer);
      ask();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var meta = document.querySelector('meta[name="amount-exact-url"]');
    if (!meta) {
      return;
    }
    document.querySelectorAll("input[data-amount-unit]").forEach(function (field) {
      attach(field, meta.getAttribute("content"));
    });
  });
})();
