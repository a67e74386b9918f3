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
    // Sized again on a resize below (redrawCrossed), once the window has settled: plotly's own
    // "responsive" squeezed a desktop's figure into a phone's width first, with negative sizes.
    responsive: false,
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

  // --- Narrow screens ------------------------------------------------------------------------
  //
  // Below NARROW pixels (a tablet, a phone) the figure as built for a desktop does not fit:
  // the title runs off the right edge under the "Illustrative data" label, long category labels
  // and axis titles are cut, and the cells of a matrix overflow. The figure is adapted here,
  // from its own layout, before it is drawn: the title wraps, the label goes on its own line
  // under it, category labels wrap inside at most LABEL_SHARE of the width, axis titles wrap,
  // and legends and colour bars sit below the plot. Below PHONE pixels, too, columns turn into
  // bars across and side-by-side panels stack.
  var NARROW = 900;
  var PHONE = 600;
  var TITLE_CHAR = 8.8; // px per character of a 16 px title, with room to spare
  var LABEL_CHAR = 7; // px per character of a 13 px tick label
  var LABEL_LINE = 17; // px per line of a tick label
  var LABEL_SHARE = 0.42;
  var PANEL_GAP = 150; // px between stacked panels: the upper one's axis title, the next title
  // The label as the server wrote it, in the reader's language (the catalogue, jsi18n).
  var ILLUSTRATIVE = window.gettext ? gettext("Illustrative data") : "Illustrative data";

  function wrapText(text, perLine) {
    var lines = [];
    String(text).split("<br>").forEach(function (paragraph) {
      var line = "";
      paragraph.split(" ").forEach(function (word) {
        if (line && (line + " " + word).length > perLine) {
          lines.push(line);
          line = word;
        } else {
          line = line ? line + " " + word : word;
        }
      });
      lines.push(line);
    });
    return lines;
  }

  function axisName(reference, letter) {
    // A trace's "y2" lives in the layout's "yaxis2"; "y" in "yaxis".
    return letter + "axis" + (reference ? reference.slice(1) : "");
  }

  function stackPanels(layout, data, side) {
    // make_subplots with one row: each panel full width and square, one above the other.
    if (!layout.xaxis2 || !layout.xaxis || !layout.yaxis2) {
      return 0;
    }
    var count = 1;
    while (layout["xaxis" + (count + 1)]) {
      count += 1;
    }
    var plotted = count * side + (count - 1) * PANEL_GAP;
    var gap = PANEL_GAP / plotted;
    var share = side / plotted;
    // A panel may draw several traces under its title (a heat map draws one per band).
    var names = [];
    data.forEach(function (trace) {
      if (names.indexOf(trace.name) === -1) {
        names.push(trace.name);
      }
    });
    for (var index = 0; index < count; index += 1) {
      var suffix = index === 0 ? "" : String(index + 1);
      var top = 1 - index * (share + gap);
      layout["xaxis" + suffix].domain = [0, 1];
      layout["yaxis" + suffix].domain = [top - share, top];
      (layout.annotations || []).forEach(function (note) {
        if (note.text === names[index]) {
          note.x = 0.5;
          note.y = top;
        }
      });
    }
    return count;
  }

  function narrowFigure(figure, width) {
    var layout = figure.layout;
    var margin = (layout.margin = layout.margin || {});
    var originalTop = margin.t === undefined ? 100 : margin.t;
    var notes = layout.annotations || [];
    var label = notes.filter(function (note) {
      return String(note.text || "").indexOf(ILLUSTRATIVE) !== -1;
    })[0];

    // The title wraps onto as many lines as it needs, from the top left corner.
    var titleLines = 0;
    if (layout.title && layout.title.text) {
      var lines = wrapText(layout.title.text, Math.floor((width - 12) / TITLE_CHAR));
      layout.title.text = lines.join("<br>");
      layout.title.x = 0;
      layout.title.xref = "container";
      layout.title.xanchor = "left";
      layout.title.y = 1;
      layout.title.yref = "container";
      layout.title.yanchor = "top";
      // Plotly sets a title of several lines from its first line's middle: room above it.
      layout.title.pad = { t: 18, l: 4 };
      titleLines = lines.length;
    }
    var titleBottom = 20 + titleLines * 21;
    // What the builder kept between its title and the plot (subplot titles, ticks on top).
    var below = Math.max(originalTop - 45, 16);
    margin.t = titleBottom + (label ? 30 : 0) + below;
    if (label) {
      label.x = 0;
      label.xref = "paper";
      label.xanchor = "left";
      label.y = 1;
      label.yref = "paper";
      label.yanchor = "top";
      label.yshift = margin.t - (titleBottom + 4);
    }

    // Columns side by side turn into bars across, one category under the other.
    var phone = width < PHONE;
    var columns = figure.data.filter(function (trace) {
      return phone && trace.type === "bar" && trace.orientation !== "h";
    });
    if (columns.length && columns.length === figure.data.length) {
      columns.forEach(function (trace) {
        var categories = trace.x;
        trace.x = trace.y;
        trace.y = categories;
        trace.orientation = "h";
        if (trace.hovertemplate) {
          trace.hovertemplate = trace.hovertemplate
            .split("%{y").join("%{\u0000").split("%{x").join("%{y").split("%{\u0000").join("%{x");
        }
      });
      var across = layout.xaxis || {};
      layout.xaxis = layout.yaxis || {};
      layout.yaxis = across;
      layout.yaxis.autorange = "reversed";
      // The categories (years, lines) name themselves; their axis title would only crowd them.
      layout.yaxis.title = { text: "" };
      var count = Array.isArray(columns[0].y[0]) ? columns[0].y[0].length : columns[0].y.length;
      var plotted = count * (columns.length * 9 + 14);
      layout.height = margin.t + (margin.b || 80) + plotted;
      // Grouped categories (budget line and year): the outer label wraps too.
      if (Array.isArray(columns[0].y[0])) {
        var outer = columns[0].y[0].map(function (text) {
          return wrapText(text, 14).join("<br>");
        });
        columns.forEach(function (trace) {
          trace.y = [outer, trace.y[1]];
        });
      }
    }

    // Side-by-side panels stack; each keeps a square plot.
    var plotWidth = width - (margin.l || 80) - (margin.r === undefined ? 80 : margin.r);
    var panels = phone ? stackPanels(layout, figure.data, plotWidth) : 0;

    // Category labels of horizontal bars and heat-map rows wrap inside the left margin.
    var leftMost = Math.round(width * LABEL_SHARE);
    var perLine = Math.max(8, Math.floor(leftMost / LABEL_CHAR));
    var wrapped = {};
    figure.data.forEach(function (trace) {
      var rows = trace.orientation === "h" || trace.type === "heatmap";
      if (!rows || !Array.isArray(trace.y) || typeof trace.y[0] !== "string") {
        return;
      }
      var name = axisName(trace.yaxis, "y");
      var axis = (layout[name] = layout[name] || {});
      if (!wrapped[name]) {
        var values = axis.tickvals || [];
        var texts = axis.ticktext || [];
        if (!axis.tickvals) {
          trace.y.forEach(function (value) {
            if (values.indexOf(value) === -1) {
              values.push(value);
              texts.push(value);
            }
          });
        }
        wrapped[name] = { values: values, texts: texts.map(function (text) {
          return wrapText(text, perLine);
        }) };
      }
    });
    Object.keys(wrapped).forEach(function (name) {
      var axis = layout[name];
      var rows = wrapped[name];
      var most = 1;
      axis.tickvals = rows.values;
      axis.ticktext = rows.texts.map(function (lines) {
        most = Math.max(most, lines.length);
        return lines.join("<br>");
      });
      axis.automargin = true;
      margin.l = Math.min(margin.l === undefined ? 80 : margin.l, leftMost + 8);
      // Each row is tall enough for its wrapped label.
      var plotHeight = (layout.height || 450) - (margin.t || 0) - (margin.b || 0);
      var needed = rows.values.length * (most * LABEL_LINE + 10);
      if (needed > plotHeight) {
        layout.height = (layout.height || 450) + needed - plotHeight;
      }
    });
    if (panels) {
      layout.height = margin.t + (margin.b || 80) + panels * plotWidth + (panels - 1) * PANEL_GAP;
    }

    // No tick label or axis title is cut at the edge of the figure.
    Object.keys(layout).forEach(function (key) {
      if (/^[xy]axis\d*$/.test(key)) {
        var axis = layout[key];
        axis.automargin = true;
        var title = axis.title && axis.title.text;
        if (title) {
          var room = key.charAt(0) === "x" ? plotWidth : Math.min(plotWidth, 260);
          axis.title.text = wrapText(title, Math.max(12, Math.floor(room / LABEL_CHAR))).join("<br>");
        }
      }
    });
    // Panel titles (the subplots' own) wrap across the plot.
    figure.data.forEach(function (trace) {
      notes.forEach(function (note) {
        if (panels && note.text === trace.name) {
          note.text = wrapText(note.text, Math.floor(plotWidth / LABEL_CHAR)).join("<br>");
        }
      });
    });
    // A matrix of ratings keeps the symbol in each cell; the hover and the table say the rest.
    figure.data.forEach(function (trace) {
      if (trace.type === "heatmap" && trace.texttemplate === "%{text}" && Array.isArray(trace.text)) {
        trace.text = trace.text.map(function (row) {
          return row.map(function (cell) {
            var symbol = String(cell).split(" ")[0];
            return / \*$/.test(cell) ? symbol + "*" : symbol;
          });
        });
      }
    });

    // Legends and colour bars below the plot, across the width.
    if (layout.legend && layout.legend.yref !== "container" && layout.showlegend !== false) {
      layout.legend = {
        orientation: "h", x: 0, xanchor: "left", y: 0, yanchor: "bottom", yref: "container",
      };
      margin.b = (margin.b || 80) + 50;
      layout.height = (layout.height || 450) + 50;
    }
    var colorbar = layout.coloraxis && layout.coloraxis.colorbar;
    if (colorbar) {
      colorbar.orientation = "h";
      colorbar.x = 0;
      colorbar.xanchor = "left";
      colorbar.y = 0;
      colorbar.yref = "container";
      colorbar.yanchor = "bottom";
      colorbar.len = 1;
      colorbar.title = { text: colorbar.title && colorbar.title.text, side: "right" };
      margin.b = (margin.b || 80) + 60;
      layout.height = (layout.height || 450) + 60;
    }
    // Never less than a readable plot between the margins.
    layout.height = Math.max(layout.height || 450, margin.t + (margin.b || 80) + 160);
    return figure;
  }

  function figureFor(element) {
    var source = document.getElementById(element.dataset.figure);
    var figure = JSON.parse(source.textContent);
    figure.layout = figure.layout || {};
    var width = element.clientWidth;
    element.dataset.fit = fitOf(element);
    return width > 0 && width < NARROW ? narrowFigure(figure, width) : figure;
  }

  function fitOf(element) {
    var width = element.clientWidth;
    if (!width || width >= NARROW) {
      return "wide";
    }
    return width < PHONE ? "phone" : "narrow";
  }

  // The drawing is the image that screen readers are told of, by the name and description the
  // template gave its element; plotly's buttons (download, zoom) stay beside it as buttons, which
  // an element with role="img" would hide. The drawing's other layers (hover labels) are left out.
  function describe(element) {
    var drawings = element.querySelectorAll("svg.main-svg");
    if (!drawings.length) {
      return;
    }
    // Kept on the element, for when plotly draws the chart again on another screen's width.
    var names = element.chartNames = element.chartNames || {};
    ["role", "aria-label", "aria-describedby"].forEach(function (name) {
      if (element.hasAttribute(name)) {
        names[name] = element.getAttribute(name);
        element.removeAttribute(name);
      }
      if (names[name]) {
        drawings[0].setAttribute(name, names[name]);
      }
    });
    for (var i = 1; i < drawings.length; i += 1) {
      drawings[i].setAttribute("aria-hidden", "true");
    }
  }

  // Whoever asks for less motion gets none: the figure changes without a transition.
  function stillFigure(figure) {
    var reduce = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    if (reduce) {
      figure.layout.transition = { duration: 0 };
    }
    return figure;
  }

  function render(element) {
    var source = document.getElementById(element.dataset.figure);
    if (!source || !window.Plotly) {
      return;
    }
    var figure = stillFigure(figureFor(element));
    window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(function () {
      describe(element);
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

  // A phone turned sideways, or a window made narrower: a chart that crosses NARROW or PHONE is
  // drawn again from its figure; any other is fitted to its new width.
  var resizing = 0;
  function redrawCrossed() {
    var charts = document.querySelectorAll("div.chart.chart-ready[data-figure]");
    for (var i = 0; i < charts.length; i += 1) {
      var element = charts[i];
      if (fitOf(element) === element.dataset.fit) {
        window.Plotly.Plots.resize(element);
      } else {
        var figure = stillFigure(figureFor(element));
        window.Plotly.react(element, figure.data, figure.layout, CONFIG)
          .then(window.Plotly.Plots.resize.bind(null, element))
          .then(describe.bind(null, element));
      }
    }
  }
  window.addEventListener("resize", function () {
    window.clearTimeout(resizing);
    resizing = window.setTimeout(redrawCrossed, 150);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }
})();
