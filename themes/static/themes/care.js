/* 关怀模式 (care mode: larger text, higher contrast, one column). The server renders the same page for
   everyone (the page cache is per site + URL), so the choice lives in this browser's localStorage and
   is applied as a class on <html> before the body paints. Without JavaScript the button stays hidden
   and the page works as it is. */
(function () {
  "use strict";
  var KEY = "zq-care-mode";
  var root = document.documentElement;
  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) { stored = null; }
  if (stored === "on") { root.classList.add("care"); }

  function wire() {
    var buttons = Array.prototype.slice.call(document.querySelectorAll(".care-toggle"));
    function show(on) {
      buttons.forEach(function (button) { button.setAttribute("aria-pressed", on ? "true" : "false"); });
    }
    buttons.forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var on = !root.classList.contains("care");
        root.classList.toggle("care", on);
        try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private mode: this page only */ }
        show(on);
      });
    });
    show(root.classList.contains("care"));
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); } else { wire(); }
})();
