// Polls a running closure step and updates the progress bar; reloads the page when the step ends.
(function () {
  const box = document.getElementById("closure-progress");
  if (!box || !box.dataset.running) return;
  const bar = document.getElementById("closure-bar");
  const count = document.getElementById("closure-count");
  const step = document.getElementById("closure-step");
  const status = document.getElementById("closure-status");
  const error = document.getElementById("closure-error");
  async function poll() {
    try {
      const response = await fetch(box.dataset.url, { credentials: "same-origin" });
      const data = await response.json();
      bar.max = data.total || 1;
      bar.value = data.done;
      count.textContent = data.done + " / " + data.total;
      step.textContent = data.step;
      status.textContent = data.status_label;
      if (data.error) { error.textContent = data.error; error.hidden = false; }
      if (data.running) { setTimeout(poll, 1000); } else { window.location.reload(); }
    } catch (e) {
      setTimeout(poll, 3000);
    }
  }
  setTimeout(poll, 1000);
})();
