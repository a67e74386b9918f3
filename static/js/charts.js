/*
 * Render every plotly chart on the page.
 *
 * For each <div class="chart" data-figure="ID">, read the figure from the
 * <script type="application/json" id="ID"> that json_script wrote and draw it with the
 * plotly.js the application serves. A point whose customdata (or its first item) is a
 * same-site path or a #fragment opens it on click, so a chart can link to the records it shows.
 */
(function () {
  "use strict";

  // Nothing leaves the server: no logo link, and no "share to the cloud" button.
  var CONFIG = {
    displaylogo: false,
    responsive: true,
    showSendToCloud: false,
    showLink: false,
    plotlyServerURL: "",
  };

  function linkOf(point) {
    var data = point && point.customdata;
    if (Array.isArray(data)) {
      data = data[0];
    }
    if (typeof data !== "string") {
      return "";
    }
    var sameSite = data.charAt(0) === "#" || (data.charAt(0) === "/" && data.charAt(1) !== "/");
    return sameSite ? data : "";
  }

  function render(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout || {}, CONFIG).then(function () {
      element.classList.add("chart-ready");
      element.on("plotly_click", function (event) {
        var link = linkOf(event.points && event.points[0]);
        if (link) {
          window.location.assign(link);
        }
      });
    });
  }

  function renderAll() {
    var charts = document.querySelectorAll("div.chart[data-figure]");
    for (var i = 0; i < charts.length; i += 1) {
      render(charts[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
