// While an inspection started with "立即普查" is queued or running, reload the site's screen every
// few seconds; the reloaded page shows the new run (and stops polling) once the job has finished.
(function () {
  function start() {
    "use strict";
    const box = document.getElementById("inspection-progress");
    if (!box || box.dataset.running !== "1") return;
    setTimeout(() => window.location.reload(), 3000);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
