// Draws every chart on the page: an element with data-chart="<id>" gets the Vega-Lite spec
// that the page put in <script type="application/json" id="<id>"> (Django's json_script),
// drawn by the vendored vega-embed (static/vendor/vega-*.min.js, loaded before this file).
// The data table beside each chart is rendered by the server, so without this script (or
// when drawing fails) the figures are still on the page; the chart area then stays hidden.
(function () {
  "use strict";

  function draw(element) {
    if (element.dataset.chartDrawn) return;
    var source = document.getElementById(element.dataset.chart);
    if (!source || typeof window.vegaEmbed !== "function") return;
    var spec;
    try {
      spec = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    element.dataset.chartDrawn = "1";
    window.vegaEmbed(element, spec, { actions: false, renderer: "svg" })
      .then(function () { element.hidden = false; })
      .catch(function () { delete element.dataset.chartDrawn; });
  }

  function drawAll(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  // Charts that arrive in an HTMX swap are drawn too.
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
