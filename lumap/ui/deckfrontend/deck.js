/* lumap's deck component (custom components v1 protocol, no build step, no network).
 *
 * role "deck"  — the presenter's shell on /present: one iframe per slide (the slide's own page,
 *                live, in slide mode), laid out at a fixed canvas size (1120×630) and scaled to
 *                the screen, so type is big on a projector and nothing scrolls. The current
 *                slide is shown; the one before and the two after are already loaded behind it
 *                (visibility: hidden keeps their layout, so a map is drawn at its real size),
 *                so stepping shows a finished slide at once.
 * role "slide" — runs inside every page in slide mode: passes stepping keys up to the shell
 *                (also from inside a map's frame, where Leaflet would pan on the arrow keys).
 *
 * Every text from the deck (titles, notices) is set with textContent, never as markup.
 */
(function () {
  "use strict";
  var S = { ready: "streamlit:componentReady", value: "streamlit:setComponentValue",
            height: "streamlit:setFrameHeight", render: "streamlit:render" };
  function send(type, data) {
    window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type: type }, data || {}), "*");
  }
  var NEXT = { ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, Spacebar: 1, n: 1, N: 1 };
  var PREV = { ArrowLeft: 1, ArrowUp: 1, PageUp: 1, Backspace: 1, p: 1, P: 1 };
  function stepOf(e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return null;
    if (e.key in NEXT) return e.shiftKey && e.key === " " ? "prev" : "next";
    if (e.key in PREV) return "prev";
    if (e.key === "Home") return "first";
    if (e.key === "End") return "last";
    if (e.key === "f" || e.key === "F") return "full";
    return null;
  }
  function typing(e) {
    var t = e.target;
    if (!t || !t.tagName) return false;
    var tag = t.tagName.toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || t.isContentEditable;
  }
  var role = null;

  // ---------------------------------------------------------------- role "slide"
  var slide = { win: null, hooked: [] };

  function forward(e) {
    var step = stepOf(e);
    if (!step || typing(e)) return;
    var P = slide.win;
    if (P.parent === P) return;            // a slide on its own (a phone): nothing to step
    e.preventDefault(); e.stopPropagation();
    P.parent.postMessage({ lumapDeck: "key", step: step }, "*");
  }
  function hook(win) {
    if (!win || slide.hooked.indexOf(win) >= 0) return;
    try { win.addEventListener("keydown", forward, true); } catch (err) { return; } // another origin
    slide.hooked.push(win);
  }
  function hookFrames() {
    var frames = slide.win.document.querySelectorAll("iframe");
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.contentWindow === window) continue;
      try { hook(f.contentWindow); } catch (err) { /* not same-origin */ }
      if (!f.__lumapHooked) {
        f.__lumapHooked = true;
        f.addEventListener("load", function () { slide.hooked = slide.hooked.filter(function (w) { return !w.closed; }); hookFrames(); });
      }
    }
  }
  function startSlide() {
    role = "slide";
    slide.win = window.parent;
    send(S.height, { height: 0 });
    var D = slide.win.document;
    D.documentElement.classList.add("lumap-slide");
    if (slide.win.parent !== slide.win) D.documentElement.classList.add("lumap-slide-framed");
    hook(slide.win);
    hookFrames();
    new slide.win.MutationObserver(hookFrames).observe(D.body, { childList: true, subtree: true });
  }

  // ---------------------------------------------------------------- role "deck"
  var deck = { slides: [], current: -1, frames: {}, loadedAt: {}, timings: [], started: false, key: null,
               canvas: [1120, 630] };

  // A slide's page is laid out in a frame of the canvas's size (its own viewport: charts and
  // maps measure themselves as usual) and the frame is scaled to the stage, as slides are.
  // A page taller than the canvas gets a taller frame, scaled down to fit: nothing scrolls.
  function contentHeight(f) {
    try {
      var main = f.contentDocument.querySelector('[data-testid="stMainBlockContainer"]');
      if (!main) return 0;
      // the bottom of its lowest child (the box itself stretches to the frame's height)
      var top = main.getBoundingClientRect().top, bottom = top, kids = main.querySelectorAll(".stElementContainer, .lumap-slide-foot");
      for (var i = 0; i < kids.length; i++) {
        var r = kids[i].getBoundingClientRect();
        if (r.height > 0 && r.bottom > bottom) bottom = r.bottom;
      }
      return Math.ceil(bottom - top + (parseFloat(getComputedStyle(main).paddingBottom) || 0) + 4);
    } catch (err) { return 0; }
  }
  function place(f) {
    if (!f || f.tagName !== "IFRAME") return;
    var stage = document.getElementById("stage");
    var W = deck.canvas[0], H = deck.canvas[1];
    var h = Math.max(H, contentHeight(f));
    var scale = Math.min(stage.clientWidth / W, stage.clientHeight / h);
    var width = W + "px", height = h + "px";
    if (f.style.width !== width) f.style.width = width;
    if (f.style.height !== height) f.style.height = height;
    f.style.left = Math.max(0, (stage.clientWidth - W * scale) / 2) + "px";
    f.style.transform = "scale(" + scale.toFixed(4) + ")";
    f.setAttribute("data-scale", scale.toFixed(3));
  }
  function placeAll() { Object.keys(deck.frames).forEach(function (k) { place(deck.frames[k]); }); }

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function frameReady(f) {
    try {
      var d = f.contentDocument;
      if (!d) return false;
      var app = d.querySelector('[data-testid="stApp"]');
      if (!app || app.getAttribute("data-test-script-state") !== "notRunning" ||
          app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
      if (!d.documentElement.classList.contains("lumap-slide")) return false;
      var maps = d.querySelectorAll('iframe[title$="lumap_map"]');
      for (var i = 0; i < maps.length; i++) {
        var md = maps[i].contentDocument;
        if (!md || !md.body || !md.body.getAttribute("data-rendered")) return false;
      }
      return true;
    } catch (err) { return false; }
  }
  function ensureFrame(i) {
    if (i < 0 || i >= deck.slides.length || deck.frames[i]) return;
    var s = deck.slides[i], stage = document.getElementById("stage"), node;
    if (s.missing) {
      node = el("div", { "class": "missing", role: "note" }, s.missing);
    } else {
      node = el("iframe", { src: s.src, title: "Slide " + (i + 1) + ": " + (s.title || ""),
                            allow: "fullscreen; clipboard-write", "data-slide": String(i + 1) });
      node.addEventListener("load", function () { deck.loadedAt[i] = performance.now(); });
    }
    deck.frames[i] = node;
    stage.appendChild(node);
    place(node);
  }
  function dropFar(k) {
    Object.keys(deck.frames).forEach(function (key) {
      var i = +key;
      if (i < k - 2 || i > k + 3) { deck.frames[i].remove(); delete deck.frames[i]; }
    });
  }
  function show(k, how) {
    if (!deck.slides.length) return;
    k = Math.max(0, Math.min(deck.slides.length - 1, k));
    if (k === deck.current) return;
    var t0 = performance.now();
    var wasReady = !!deck.frames[k] && (deck.slides[k].missing || frameReady(deck.frames[k]));
    ensureFrame(k);
    Object.keys(deck.frames).forEach(function (key) { deck.frames[key].classList.toggle("current", +key === k); });
    var prev = deck.current;
    deck.current = k;
    [k + 1, k - 1, k + 2].forEach(ensureFrame);
    dropFar(k);
    document.getElementById("count").textContent = (k + 1) + " / " + deck.slides.length;
    document.getElementById("title").textContent = deck.slides[k].title || "";
    document.getElementById("prev").disabled = k === 0;
    document.getElementById("next").disabled = k === deck.slides.length - 1;
    var rec = { from: prev + 1, to: k + 1, how: how, preloaded: wasReady, shownMs: null, readyMs: null };
    deck.timings.push(rec);
    requestAnimationFrame(function () { rec.shownMs = performance.now() - t0; });
    var loading = document.getElementById("loading");
    (function wait() {
      if (deck.current !== k) return;
      var f = deck.frames[k];
      if (deck.slides[k].missing || frameReady(f)) {
        rec.readyMs = performance.now() - t0;
        loading.classList.remove("on");
        document.body.setAttribute("data-ready", String(k + 1));
        return;
      }
      loading.classList.add("on");
      document.body.setAttribute("data-ready", "");
      setTimeout(wait, 40);
    })();
    document.body.setAttribute("data-current", String(k + 1));
    if (how !== "start") send(S.value, { value: { slide: k + 1 }, dataType: "json" });
  }
  function step(what) {
    if (what === "next") show(deck.current + 1, "next");
    else if (what === "prev") show(deck.current - 1, "prev");
    else if (what === "first") show(0, "first");
    else if (what === "last") show(deck.slides.length - 1, "last");
    else if (what === "full") fullscreen();
  }
  function fullscreen() {
    var d = document;
    if (d.fullscreenElement) { d.exitFullscreen(); return; }
    var root = d.documentElement;
    if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* refused: stay windowed */ });
  }
  function onKey(e) {
    if (role !== "deck") return;
    var s = stepOf(e);
    if (!s || typing(e)) return;
    e.preventDefault(); e.stopPropagation();
    step(s);
  }
  function startDeck(args) {
    role = "deck";
    var key = JSON.stringify(args.slides.map(function (s) { return [s.src, s.missing]; }));
    if (deck.started && key === deck.key) return;   // a rerun of /present: nothing changed
    deck.started = true; deck.key = key;
    if (args.canvas) deck.canvas = args.canvas;
    deck.slides = args.slides; deck.current = -1; deck.frames = {};
    document.body.textContent = "";
    var stage = el("div", { id: "stage" });
    var bar = el("div", { id: "bar", role: "toolbar", "aria-label": "Slides" });
    var prev = el("button", { id: "prev", type: "button", "aria-label": "Previous slide", title: "Previous (←, PageUp)" }, "‹ Previous");
    var next = el("button", { id: "next", type: "button", "aria-label": "Next slide", title: "Next (→, space, PageDown)" }, "Next ›");
    var count = el("span", { id: "count", "aria-live": "polite" });
    var title = el("span", { id: "title" });
    var keys = el("span", { "class": "keys" }, "← → space PgUp PgDn · F full screen");
    var full = el("button", { id: "full", type: "button", title: "Full screen (F)" }, "Full screen");
    var edit = el("a", { id: "edit", href: args.edit_url, target: "_top" }, "Edit deck");
    prev.addEventListener("click", function () { step("prev"); });
    next.addEventListener("click", function () { step("next"); });
    full.addEventListener("click", fullscreen);
    [prev, count, next, title, keys, full, edit].forEach(function (n) { bar.appendChild(n); });
    document.body.appendChild(stage);
    document.body.appendChild(el("div", { id: "loading", role: "status" }, "Loading slide …"));
    document.body.appendChild(bar);
    var notes = el("div", { id: "notices", role: "alert" });
    (args.notices || []).forEach(function (n) {
      var d = el("div", {}, n);
      var x = el("button", { type: "button" }, "Dismiss");
      x.addEventListener("click", function () { d.remove(); });
      d.appendChild(x);
      notes.appendChild(d);
    });
    document.body.appendChild(notes);
    window.lumapDeck = { timings: deck.timings, show: function (k) { show(k - 1, "api"); }, step: step,
                         current: function () { return deck.current + 1; },
                         ready: function (k) { var f = deck.frames[k - 1]; return !!f && frameReady(f); } };
    show(Math.max(0, (args.start || 1) - 1), "start");
    window.addEventListener("resize", placeAll);
    setInterval(placeAll, 250);   // pages grow as they render; cheap: a few frames at most
  }
  window.addEventListener("message", function (event) {
    var d = event.data;
    if (!d) return;
    if (d.lumapDeck === "key" && role === "deck") { step(d.step); return; }
    if (d.type !== S.render || event.source !== window.parent) return;
    var args = d.args || {};
    if (args.role === "slide") { if (role !== "slide") startSlide(); }
    else if (args.role === "deck") startDeck(args);
  });
  document.addEventListener("keydown", onKey, true);
  try { window.parent.addEventListener("keydown", onKey, true); }
  catch (err) { /* the page is of another origin */ }
  send(S.ready, { apiVersion: 1 });
})();
