/* lumap's choropleth: a Streamlit component (custom components v1 protocol, no build step).
 *
 * Geometry comes once per level from a content-hashed TopoJSON file under /app/static/geo
 * (cached by the browser and kept decoded here for the page's life); each render brings only
 * which features to draw, a palette index and a tooltip text per feature. So an indicator or
 * year switch restyles the existing paths in place: nothing is rebuilt, pan and zoom stay.
 *
 * Safety: every text from data is set with textContent (never as markup), so no value is
 * ever parsed as HTML. Race-free clicks: handlers are bound on each path before it is added to
 * the map, the map never animates its first view, and a click is posted at once (no debounce)
 * with a sequence number, so Python can tell a new click from an old value.
 */
(function () {
  "use strict";
  var S = { // protocol message types (streamlit-component-lib)
    value: "streamlit:setComponentValue",
    height: "streamlit:setFrameHeight", render: "streamlit:render"
  };
  function send(type, data) {
    var msg = Object.assign({ isStreamlitMessage: true, type: type }, data || {});
    window.parent.postMessage(msg, "*");
  }

  var map = null;
  var geometries = {};   // url -> Promise of [feature, ...] (index = TopoJSON geometry id)
  var layers = {};       // geometry id -> L.Path for the current geometry url
  var current = { url: null, fit: null, height: null, below: 0, tiles: null, backdrop: null, focus: null };
  var layerGroup = null, backdropLayer = null, tileLayer = null;
  var last = null;       // last args applied
  var clickSeq = 0;
  var mount = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var renderToken = 0;
  var early = window.lumapEarly; // index.html's head: "ready" sent, latest args kept, fetches

  // ---- TopoJSON -> GeoJSON (quantised, delta-encoded arcs) ----
  function decodeArcs(topo) {
    var t = topo.transform, sx = t ? t.scale[0] : 1, sy = t ? t.scale[1] : 1;
    var tx = t ? t.translate[0] : 0, ty = t ? t.translate[1] : 0;
    return topo.arcs.map(function (arc) {
      var x = 0, y = 0, out = new Array(arc.length);
      for (var i = 0; i < arc.length; i++) {
        if (t) { x += arc[i][0]; y += arc[i][1]; } else { x = arc[i][0]; y = arc[i][1]; }
        out[i] = [x * sx + tx, y * sy + ty];
      }
      return out;
    });
  }
  function ring(arcs, refs) {
    var pts = [];
    refs.forEach(function (r, k) {
      var a = r >= 0 ? arcs[r] : arcs[~r].slice().reverse();
      for (var i = k ? 1 : 0; i < a.length; i++) pts.push(a[i]);
    });
    return pts;
  }
  function decode(topo, name) {
    var arcs = decodeArcs(topo);
    return topo.objects[name].geometries.map(function (g) {
      var geom = null;
      if (g.type === "Polygon") geom = { type: "Polygon", coordinates: g.arcs.map(function (r) { return ring(arcs, r); }) };
      else if (g.type === "MultiPolygon") geom = { type: "MultiPolygon", coordinates: g.arcs.map(function (p) { return p.map(function (r) { return ring(arcs, r); }); }) };
      return { type: "Feature", id: g.id, properties: g.properties || {}, geometry: geom };
    });
  }
  function load(url, name) {
    var key = url + "#" + name; // a hexagon file holds one object per boundary vintage
    if (!geometries[key]) { // one fetch per file (early.fetch keeps it; maybe already under way)
      geometries[key] = early.fetch(url).then(function (topo) { return decode(topo, name); });
      geometries[key].catch(function () { delete geometries[key]; });
    }
    return geometries[key];
  }

  // ---- map ----
  // A phone: the map is shorter (the panel below it stays in reach), one finger scrolls
  // the page (dragging off; two fingers pan and pinch), a tap selects.
  function narrow() { return window.innerWidth < 600; }
  function touchFirst() {
    return L.Browser.mobile || (window.matchMedia && window.matchMedia("(pointer: coarse)").matches);
  }
  function fitHeight(h) {
    return narrow() ? Math.min(h, Math.max(300, Math.round(window.innerWidth * 1.0))) : h;
  }
  function setHeight(h) {
    h = fitHeight(h);
    var below = narrow() ? document.getElementById("lumap-below").offsetHeight : 0;
    if (h === current.height && below === current.below) return;
    var resized = h !== current.height;
    current.height = h;
    current.below = below;
    document.getElementById("map").style.height = h + "px";
    if (map && resized) map.invalidateSize({ pan: false });
    send(S.height, { height: h + below });
  }
  function ensureMap(args) {
    if (map) return;
    setHeight(args.height);
    var touch = touchFirst();
    map = L.map("map", {
      zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 4, maxZoom: 13, zoomControl: true,
      attributionControl: true, preferCanvas: false, fadeAnimation: false,
      dragging: !touch, tap: true, touchZoom: true
    });
    if (touch) document.body.classList.add("lumap-touch");
    map.attributionControl.setPrefix(false);
    scaleControl = L.control.scale({ imperial: false }).addTo(map);
    map.fitBounds(args.bounds, { animate: false });
    layerGroup = L.featureGroup().addTo(map);
    legendBox = document.getElementById("lumap-legend");
    summaryBox = document.getElementById("lumap-summary");
    window.map = map; // tests and the benchmark read the view and the layers from here
    // Leaflet focuses the map on a press (for its arrow keys). Where the map reaches below
    // the window, that focus scrolled the page between press and release, so the release
    // landed on another element and the first click selected nothing: focus without scrolling.
    var container = map.getContainer();
    var nativeFocus = container.focus;
    container.focus = function (options) {
      nativeFocus.call(container, Object.assign({ preventScroll: true }, options || {}));
    };
  }
  var legendBox = null, summaryBox = null, scaleControl = null;

  // The compact legend and the selected area's line, shown inside the map on a narrow
  // screen (lumapmap.css), where the legend and panel beside the map end up below it.
  // Plain text only (textContent).
  function swatch(fill) {
    var sw = document.createElement("span");
    sw.className = "lumap-swatch";
    if (fill.indexOf("hatch:") === 0) {
      var c = fill.slice(6);
      sw.style.background = "repeating-linear-gradient(45deg," + c + " 0 3px,#ffffff 3px 5px)";
    } else { sw.style.background = fill; }
    return sw;
  }
  function div(className, text) {
    var el = document.createElement("div");
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }
  function setLegend(legend) {
    if (!legendBox) return;
    legendBox.textContent = "";
    if (!legend) { legendBox.style.display = "none"; return; }
    legendBox.style.display = "";
    legendBox.appendChild(div("lumap-legend-title", legend.title));
    if (legend.strip && legend.strip.length) {
      var strip = div("lumap-strip");
      legend.strip.forEach(function (c) { var s = document.createElement("span"); s.style.background = c; strip.appendChild(s); });
      legendBox.appendChild(strip);
      var ends = div("lumap-ends");
      ends.appendChild(div("", legend.low));
      ends.appendChild(div("", legend.high));
      legendBox.appendChild(ends);
    }
    var keys = div("lumap-keys");
    (legend.keys || []).forEach(function (k) {
      var row = div("lumap-key");
      row.appendChild(swatch(k[0]));
      row.appendChild(document.createTextNode(k[1]));
      keys.appendChild(row);
    });
    legendBox.appendChild(keys);
    if (document.body.classList.contains("lumap-touch")) {
      legendBox.appendChild(div("lumap-legend-direction", "Tap an area to select it; two fingers move the map."));
    }
  }
  // What a screen reader hears: the map's subject, and how to choose an area without a mouse
  // (the areas are not tab stops: 361 unnamed ones would be worse than none).
  function describe(args) {
    var title = (args.legend && args.legend.title) || "Map";
    document.getElementById("lumap-title").textContent = "Map: " + title;
    document.getElementById("map").setAttribute("aria-label",
      "Map of " + title + ". To choose an area with the keyboard, use the Find an area box above the map. " +
      "Arrow keys move the map, plus and minus zoom.");
  }
  function setSummary(text) {
    if (!summaryBox) return;
    summaryBox.textContent = text || "";
    summaryBox.style.display = text ? "" : "none";
  }
  // Zoom to an area chosen in the search box (once per choice: later reruns keep the view).
  function focusArea(args) {
    var f = args.focus;
    if (!f || f.seq === current.focus) return;
    current.focus = f.seq;
    Object.keys(layers).forEach(function (id) {
      var l = layers[id];
      if (l.feature.properties.areacd !== f.area) return;
      var b = l.getBounds();
      if (b.isValid()) map.fitBounds(b, { animate: false, padding: [40, 40], maxZoom: 10 });
      l.bringToFront();
    });
  }

  function tipElement(text) {
    var el = document.createElement("div");
    el.className = "lumap-tip";
    el.textContent = text;
    return el;
  }
  // "hatch:<colour>": the colour with white diagonal stripes (an SVG pattern defined once
  // per colour in a hidden <svg> of this document; the paths reference it by url(#id)).
  var patterns = {};
  function fillOf(colour) {
    if (!colour || colour.indexOf("hatch:") !== 0) return colour || "#bdbdbd";
    var base = colour.slice(6), id = "lumap-hatch-" + base.replace(/[^0-9a-zA-Z]/g, "");
    if (!patterns[id]) {
      var NS = "http://www.w3.org/2000/svg";
      var defs = document.getElementById("lumap-defs");
      if (!defs) {
        var svg = document.createElementNS(NS, "svg");
        svg.setAttribute("width", "0"); svg.setAttribute("height", "0");
        svg.setAttribute("aria-hidden", "true"); svg.style.position = "absolute";
        defs = document.createElementNS(NS, "defs"); defs.id = "lumap-defs";
        svg.appendChild(defs); document.body.appendChild(svg);
      }
      var pat = document.createElementNS(NS, "pattern");
      pat.id = id; pat.setAttribute("patternUnits", "userSpaceOnUse");
      pat.setAttribute("width", "7"); pat.setAttribute("height", "7");
      pat.setAttribute("patternTransform", "rotate(45)");
      var bg = document.createElementNS(NS, "rect");
      bg.setAttribute("width", "7"); bg.setAttribute("height", "7"); bg.setAttribute("fill", base);
      var line = document.createElementNS(NS, "rect");
      line.setAttribute("width", "2.5"); line.setAttribute("height", "7"); line.setAttribute("fill", "#ffffff");
      pat.appendChild(bg); pat.appendChild(line); defs.appendChild(pat);
      patterns[id] = true;
    }
    return "url(#" + id + ")";
  }
  function style(args, i, code) {
    var chosen = code === args.selected;
    return {
      fillColor: fillOf(args.palette[args.fill[i]]), fillOpacity: 0.85,
      color: chosen ? "#000000" : "#4d4d4d", weight: chosen ? 2.5 : 0.4, opacity: 1
    };
  }
  function onClick(e) {
    var code = e.target.feature.properties.areacd;
    clickSeq += 1;
    // at once, no debounce: the value carries the click's own number
    send(S.value, { value: { area: code, seq: clickSeq, mount: mount, view: last && last.view }, dataType: "json" });
    if (e.originalEvent) L.DomEvent.stopPropagation(e.originalEvent);
    if (last) { // outline it now; the rerun this click starts confirms it
      last = Object.assign({}, last, { selected: code });
      Object.keys(layers).forEach(function (id) {
        var l = layers[id];
        l.setStyle(style(last, l._lumapIndex, l.feature.properties.areacd));
      });
      e.target.bringToFront();
    }
  }
  function makeLayer(feature) {
    var layer = L.geoJSON(feature, { interactive: true }).getLayers()[0];
    layer.feature = feature;
    layer.on("click", onClick); // bound before the path is on the map
    layer.on("mouseover", function () { layer.setStyle({ weight: 2, color: "#000000" }); layer.bringToFront(); });
    layer.on("mouseout", function () { if (last) layer.setStyle(style(last, layer._lumapIndex, feature.properties.areacd)); });
    layer.bindTooltip(tipElement(""), { sticky: true, direction: "auto", opacity: 0.95 });
    return layer;
  }

  function draw(args, features) {
    var wanted = {};
    args.ids.forEach(function (id, i) { wanted[id] = i; });
    Object.keys(layers).forEach(function (id) {
      if (!(id in wanted)) { layerGroup.removeLayer(layers[id]); delete layers[id]; }
    });
    // A new geometry (first draw, another level): build its paths off the map, fit the view,
    // then show them, so they are projected and drawn once, not again by the fit
    var fresh = !Object.keys(layers).length && map.hasLayer(layerGroup);
    if (fresh) map.removeLayer(layerGroup);
    var selectedLayer = null;
    args.ids.forEach(function (id, i) {
      var f = features[id];
      if (!f || !f.geometry) return;
      var layer = layers[id];
      if (!layer) { layer = makeLayer(f); layers[id] = layer; layerGroup.addLayer(layer); }
      layer._lumapIndex = i;
      layer.setStyle(style(args, i, f.properties.areacd));
      var name = (args.names && args.names[i] !== undefined) ? args.names[i] : f.properties.areanm;
      var tip = args.tips[i];
      if (typeof tip === "number") tip = args.tips[tip]; // the same lines as an earlier area
      layer.getTooltip().getContent().textContent =
        [name, tip, args.tip_common].filter(function (x) { return x; }).join("\n");
      if (f.properties.areacd === args.selected) selectedLayer = layer;
    });
    if (args.fit !== current.fit) {
      current.fit = args.fit;
      // a hexagon map has no distances: no scale bar
      var hex = /-hex$/.test(args.fit);
      if (scaleControl && hex) map.removeControl(scaleControl);
      if (scaleControl && !hex && !scaleControl._map) scaleControl.addTo(map);
      var b = layerGroup.getBounds();
      if (b.isValid()) map.fitBounds(b, { animate: false, padding: [8, 8] });
    }
    if (fresh) layerGroup.addTo(map);
    if (selectedLayer) selectedLayer.bringToFront();
  }

  function setBackdrop(args) {
    var key = args.backdrop ? args.backdrop.url : null;
    if (key === current.backdrop) return Promise.resolve();
    current.backdrop = key;
    if (backdropLayer) { map.removeLayer(backdropLayer); backdropLayer = null; }
    if (!key) return Promise.resolve();
    return load(key, args.backdrop.object).then(function (features) {
      if (current.backdrop !== key) return;
      backdropLayer = L.geoJSON(features.filter(function (f) { return f.geometry; }), {
        interactive: false, style: { fillColor: "#e4e4e4", fillOpacity: 1, color: "#9e9e9e", weight: 0.6 }
      }).addTo(map);
      backdropLayer.bringToBack();
    });
  }
  function setTiles(args) {
    if ((args.tiles || null) === current.tiles) return;
    current.tiles = args.tiles || null;
    if (tileLayer) { map.removeLayer(tileLayer); tileLayer = null; }
    if (current.tiles) {
      tileLayer = L.tileLayer(current.tiles, { attribution: "© OpenStreetMap contributors", opacity: 0.6 });
      tileLayer.addTo(map);
    }
  }

  function showError(err) {
    var el = document.getElementById("lumap-error") || document.createElement("div");
    el.id = "lumap-error";
    el.className = "lumap-error";
    el.textContent = "The map could not be drawn: " + err.message;
    document.body.appendChild(el);
  }

  function render(args) {
    var token = ++renderToken;
    ensureMap(args);
    setHeight(args.height);
    setTiles(args);
    Promise.all([load(args.geometry.url, args.geometry.object), setBackdrop(args)]).then(function (res) {
      if (token !== renderToken) return; // a newer render arrived meanwhile
      var geometryKey = args.geometry.url + "#" + args.geometry.object;
      if (current.url !== geometryKey) {
        layerGroup.clearLayers();
        layers = {};
        current.url = geometryKey;
      }
      last = args;
      draw(args, res[0]);
      setLegend(args.legend);
      describe(args);
      setSummary(args.summary);
      setHeight(args.height); // the frame grows by what shows under the map
      focusArea(args);
      document.body.setAttribute("data-rendered", args.view);
      window.lumapRendered = { view: args.view, at: Date.now() };
    }).catch(showError);
  }

  window.addEventListener("message", function (event) {
    var d = event.data;
    if (!d || d.type !== S.render || event.source !== window.parent) return;
    render(d.args);
  });
  // index.html said "ready" already: take over, and draw what arrived meanwhile
  window.removeEventListener("message", early.listener);
  if (early.args) render(early.args);
})();
