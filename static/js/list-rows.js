/* Set-up lists: of the blank rows a list page offers, only the first shows until "Add another
   row" asks for the next. Without script every blank row shows, and the page's "Show more blank
   rows" link offers more; hidden blank rows are sent untouched and add nothing. */
(function () {
  "use strict";

  var FILLED = "input[type=text], input[type=number], textarea, select[name$='-user']";

  function isFilled(row) {
    return Array.prototype.some.call(row.querySelectorAll(FILLED), function (field) {
      return field.value.trim() !== "";
    });
  }

  function setUp(form) {
    var hidden = [];
    var rows = form.querySelectorAll("[data-blank-row]");
    Array.prototype.forEach.call(rows, function (row, index) {
      if (index > 0 && !isFilled(row) && !row.querySelector(".errorlist")) {
        row.hidden = true;
        hidden.push(row);
      }
    });
    if (!hidden.length) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button subtle";
    button.textContent = window.gettext ? gettext("Add another row") : "Add another row";
    button.addEventListener("click", function () {
      var row = hidden.shift();
      if (row) {
        row.hidden = false;
        var field = row.querySelector("input:not([type=hidden]), select, textarea");
        if (field) {
          field.focus();
        }
      }
      button.hidden = hidden.length === 0;
    });
    var actions = form.querySelector(".form-actions");
    form.insertBefore(button, actions);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-list-rows]"), setUp);
  });
})();
