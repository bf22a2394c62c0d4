// Draws the console dashboard's charts (Chart.js) from the JSON that the panel embeds with
// json_script. No inline script: the page keeps working under a strict Content-Security-Policy.
(function () {
  function start() {
    "use strict";
    const source = document.getElementById("console-charts");
    if (!source || typeof window.Chart === "undefined") return;
    const charts = JSON.parse(source.textContent);
    const palette = ["#0b4ea2", "#b5121b", "#2e7d32", "#f0a202", "#6a1b9a", "#00838f", "#8d6e63"];
    const statusColours = ["#2e7d32", "#f0a202", "#757575", "#b5121b"]; // 运行中, 关停整合中, 已关停, 暂停服务
    Chart.defaults.font.family = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;

    function draw(id, config) {
      const canvas = document.getElementById(id);
      if (canvas) new Chart(canvas, config);
    }
    const integerAxis = { beginAtZero: true, ticks: { precision: 0 } };

    draw("chart-status", {
      type: "doughnut",
      data: { labels: charts.status.labels, datasets: [{ data: charts.status.data, backgroundColor: statusColours }] },
      options: { plugins: { legend: { position: "right" } } },
    });
    draw("chart-kind", {
      type: "bar",
      data: { labels: charts.kind.labels, datasets: [{ label: charts.series.sites, data: charts.kind.data, backgroundColor: palette }] },
      options: { plugins: { legend: { display: false } }, scales: { y: integerAxis } },
    });
    draw("chart-timeline", {
      type: "line",
      data: {
        labels: charts.timeline.labels,
        datasets: [
          { label: charts.series.created, data: charts.timeline.created, borderColor: palette[0], backgroundColor: palette[0] },
          { label: charts.series.closing, data: charts.timeline.closing, borderColor: palette[3], backgroundColor: palette[3] },
          { label: charts.series.closed, data: charts.timeline.closed, borderColor: "#757575", backgroundColor: "#757575" },
        ],
      },
      options: { scales: { y: integerAxis }, interaction: { mode: "index", intersect: false } },
    });
    draw("chart-pending", {
      type: "bar",
      data: { labels: charts.pending.labels, datasets: [{ label: charts.series.pending, data: charts.pending.data, backgroundColor: palette[3] }] },
      options: { indexAxis: "y", plugins: { legend: { display: false } }, scales: { x: integerAxis } },
    });
    draw("chart-freshness", {
      type: "bar",
      data: {
        labels: charts.freshness.labels,
        datasets: [{ label: charts.series.sites, data: charts.freshness.data, backgroundColor: ["#2e7d32", "#f0a202", "#b5121b", "#9e9e9e"] }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: integerAxis } },
    });
  }
  // Wagtail loads page scripts in <head>: wait for the document before looking for its elements.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
