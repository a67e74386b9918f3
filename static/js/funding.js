/* Funding forms: fill a year's planned amounts into the approval form when the year changes. */
(function () {
  "use strict";

  function fillPlannedAmounts() {
    var source = document.getElementById("planned-by-year");
    var year = document.getElementById("id_year");
    if (!source || !year) {
      return;
    }
    var planned = JSON.parse(source.textContent);
    year.addEventListener("change", function () {
      var amounts = planned[year.value] || {};
      Object.keys(amounts).forEach(function (id) {
        var input = document.getElementById(id);
        if (input) {
          input.value = amounts[id];
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", fillPlannedAmounts);
})();
