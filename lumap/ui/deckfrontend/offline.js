/* The offline deck's stepping (lumap.ui.offline): the same keys as /present. No network. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll(".slide"));
  var W = 1280, H = 720, current = -1;
  function fit() {
    var stage = document.getElementById("deck");
    slides.forEach(function (s) {
      var c = s.querySelector(".canvas");
      var h = Math.max(H, c.scrollHeight);
      var k = Math.min(stage.clientWidth / W, stage.clientHeight / h);
      c.style.transform = "scale(" + k.toFixed(4) + ")";
      c.style.left = Math.max(0, (stage.clientWidth - W * k) / 2) + "px";
    });
  }
  function show(k) {
    k = Math.max(0, Math.min(slides.length - 1, k));
    if (k === current) return;
    slides.forEach(function (s, i) { s.classList.toggle("current", i === k); });
    current = k;
    document.getElementById("count").textContent = (k + 1) + " / " + slides.length;
    document.getElementById("prev").disabled = k === 0;
    document.getElementById("next").disabled = k === slides.length - 1;
    document.body.setAttribute("data-current", String(k + 1));
    if (history.replaceState) history.replaceState(null, "", "#" + (k + 1));
    fit();
  }
  var NEXT = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, n: 1 };
  var PREV = { ArrowLeft: 1, ArrowUp: 1, PageUp: 1, Backspace: 1, p: 1 };
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key in NEXT) show(current + (e.shiftKey && e.key === " " ? -1 : 1));
    else if (e.key in PREV) show(current - 1);
    else if (e.key === "Home") show(0);
    else if (e.key === "End") show(slides.length - 1);
    else if (e.key === "f" || e.key === "F") {
      if (document.fullscreenElement) document.exitFullscreen();
      else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(function () {});
    } else return;
    e.preventDefault();
  });
  document.getElementById("prev").addEventListener("click", function () { show(current - 1); });
  document.getElementById("next").addEventListener("click", function () { show(current + 1); });
  window.addEventListener("resize", fit);
  window.addEventListener("load", fit);
  var start = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1);
})();
