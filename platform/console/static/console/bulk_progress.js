// Polls a running bulk site creation and updates its progress bar; reloads the page when it ends
// (the page then lists the created sites and the bad rows).
(function () {
  function start() {
    "use strict";
    const box = document.getElementById("bulk-progress");
    if (!box || box.dataset.status !== "running") return;
    const field = (id) => document.getElementById(id);
    async function poll() {
      try {
        const response = await fetch(box.dataset.url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        const data = await response.json();
        field("bulk-bar").max = data.total || 1;
        field("bulk-bar").value = data.done;
        field("bulk-count").textContent = data.done + " / " + data.total;
        field("bulk-created").textContent = data.created;
        field("bulk-errors").textContent = data.errors;
        field("bulk-status").textContent = data.status_label;
        if (data.last_error) { field("bulk-last-error").textContent = data.last_error; field("bulk-last-error").hidden = false; }
        if (data.status === "running") { setTimeout(poll, 1000); } else { window.location.reload(); }
      } catch (error) {
        setTimeout(poll, 3000);
      }
    }
    setTimeout(poll, 1000);
  }
  // Wagtail loads page scripts in <head>: wait for the document before looking for its elements.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
