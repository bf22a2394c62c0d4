// Draws the console's 网站普查 charts (Chart.js) from the JSON the page embeds with json_script.
// No inline script: the page keeps working under a strict Content-Security-Policy. The tables next
// to each chart hold the same numbers (the charts' text alternative).
(function () {
  function start() {
    "use strict";
    const source = document.getElementById("inspection-charts");
    if (!source || typeof window.Chart === "undefined") return;
    const charts = JSON.parse(source.textContent);
    const blue = "#0b4ea2", red = "#b5121b", amber = "#f0a202";
    Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    const integerAxis = { beginAtZero: true, ticks: { precision: 0 } };

    function draw(id, config) {
      const canvas = document.getElementById(id);
      if (canvas) new Chart(canvas, config);
    }
    draw("chart-inspection-trend", {
      type: "bar", // bars read well from a single day on (a line needs two)
      data: {
        labels: charts.trend.labels,
        datasets: [
          { label: charts.series.inspected, data: charts.trend.inspected, borderColor: blue, backgroundColor: blue },
          { label: charts.series.failed, data: charts.trend.failed, borderColor: red, backgroundColor: red },
        ],
      },
      options: { scales: { y: integerAxis }, interaction: { mode: "index", intersect: false } },
    });
    draw("chart-inspection-scores", {
      type: "bar",
      data: {
        labels: charts.scores.labels,
        datasets: [{ label: charts.series.sites, data: charts.scores.data, backgroundColor: charts.scores.labels.map((_l, i) => (i === 0 ? red : blue)) }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: integerAxis } },
    });
    draw("chart-inspection-indicators", {
      type: "bar",
      data: {
        labels: charts.indicators.labels,
        datasets: [
          { label: charts.series.vetoes, data: charts.indicators.vetoes, backgroundColor: red },
          { label: charts.series.points, data: charts.indicators.points, backgroundColor: amber },
        ],
      },
      options: { indexAxis: "y", scales: { x: integerAxis } },
    });
  }
  // Wagtail loads page scripts in <head>: wait for the document before looking for its elements.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
