/* Itinera's own map helpers: event, line and area layers built from compact rows, popups from
   properties that Python has already HTML-escaped, a legend, and a time control that filters layers by
   each feature's day span [t0, t1] (days since 1970-01-01; null = open end). */
(function () {
  "use strict";
  var I = (window.Itinera = window.Itinera || {});

  I.KIND_STYLE = {
    base: { color: "#7f0000", fillColor: "#d7301f", radius: 8, weight: 3 },
    stay: { color: "#8c4a00", fillColor: "#fd8d3c", radius: 7, weight: 2 },
    move: { color: "#08306b", fillColor: "#4292c6", radius: 5, weight: 1.5 },
    meeting: { color: "#00441b", fillColor: "#41ab5d", radius: 6, weight: 1.5 },
    founding: { color: "#3f007d", fillColor: "#807dba", radius: 6, weight: 1.5 },
    exercise: { color: "#252525", fillColor: "#969696", radius: 6, weight: 1.5 },
    battle: { color: "#67000d", fillColor: "#000000", radius: 6, weight: 1.5 },
    claim: { color: "#c51b7d", fillColor: "#f1b6da", radius: 6, weight: 2 },
    death: { color: "#000000", fillColor: "#ffffff", radius: 6, weight: 2 },
    appointment: { color: "#014636", fillColor: "#67a9cf", radius: 5, weight: 1.5 },
    context: { color: "#525252", fillColor: "#d9d9d9", radius: 4, weight: 1 }
  };
  I.CONTESTED = { color: "#c51b7d", dashArray: "3 3", weight: 2.5 };

  function styleFor(p) {
    var s = I.KIND_STYLE[p.kind] || I.KIND_STYLE.context;
    var o = {
      radius: s.radius, color: s.color, fillColor: s.fillColor, weight: s.weight,
      opacity: 0.95, fillOpacity: p.implied ? 0.35 : 0.8,
      className: "itinera-event itinera-" + p.kind + " ev-" + String(p.event_id).replace(/[^A-Za-z0-9_-]/g, "_")
    };
    if (p.contested) {
      o.contested = true;
      o.color = I.CONTESTED.color; o.dashArray = I.CONTESTED.dashArray; o.weight = I.CONTESTED.weight;
      o.className += " itinera-contested";
    }
    return o;
  }

  function row(label, value) {
    return value ? "<tr><th>" + label + "</th><td>" + value + "</td></tr>" : "";
  }

  /* Every string below came from Python already HTML-escaped: concatenation is safe. */
  I.eventPopup = function (layer) {
    var p = layer.feature.properties;
    var h = '<div class="itinera-popup"><b>' + (p.summary || p.event_id) + "</b><table>";
    h += row("Place", p.place_name + (p.place_note ? ' <span class="itinera-note">(' + p.place_note + ")</span>" : ""));
    h += row("When", (p.date_phrase ? "&#8220;" + p.date_phrase + "&#8221; " : "") + (p.edtf ? "<code>" + p.edtf + "</code>" : "undated"));
    h += row("Who", p.actors);
    h += row("Kind", p.kind + (p.implied ? " (implied)" : ""));
    h += row("Says who", p.attribution);
    h += row("Certainty", p.certainty);
    h += row("Source", p.source);
    h += row("Place citation", p.place_citation);
    if (p.contested) h += row('<span class="itinera-contested-label">Contested</span>', (p.contest_note || "") + (p.contested_by ? " (by " + p.contested_by + ")" : ""));
    h += "</table>";
    if (p.passage) h += '<blockquote class="itinera-passage">' + p.passage + "</blockquote>";
    var map = layer._map, here = [];
    var stack = map && map._itineraStacks ? map._itineraStacks[stackKey(layer)] || [] : [];
    for (var k = 0; k < stack.length; k++) if (stack[k]._map) here.push(stack[k]); /* shown in the window */
    if (here.length > 1) {
      /* events stacked on one point: each listed, so none hides under another */
      h += '<div class="itinera-here"><b>' + here.length + " events at this place</b><ol>";
      for (var i = 0; i < here.length; i++) {
        var q = here[i].feature.properties;
        h += "<li" + (here[i] === layer ? ' class="itinera-this"' : "") + ">" + (q.edtf || "undated") +
          " &middot; " + (q.summary || q.event_id) + "</li>";
      }
      h += "</ol></div>";
    }
    return h + "</div>";
  };

  /* Events stacked on one point, over every event layer of a map: the popup lists them all. */
  function stackKey(m) {
    var ll = m.getLatLng();
    return ll.lat.toFixed(5) + "," + ll.lng.toFixed(5);
  }
  function stacked(layer) {
    layer.on("add", function () {
      var map = layer._map, st = (map._itineraStacks = map._itineraStacks || {});
      layer._itineraStackMap = map;
      layer.eachLayer(function (m) { var k = stackKey(m); (st[k] = st[k] || []).push(m); });
    });
    layer.on("remove", function () {
      var map = layer._itineraStackMap, st = map && map._itineraStacks;
      if (!st) return;
      layer.eachLayer(function (m) {
        var list = st[stackKey(m)] || [], i = list.indexOf(m);
        if (i >= 0) list.splice(i, 1);
      });
    });
  }

  /* A popup never taller than its map: the rest scrolls inside it. */
  function fitPopup(e) {
    var map = e.target._map || (e.popup && e.popup._map);
    if (!map || !e.popup) return;
    var most = Math.max(120, map.getSize().y - 90);
    if (e.popup.options.maxHeight !== most) { e.popup.options.maxHeight = most; e.popup.update(); }
  }

  /* Place names as labels: always when few places are drawn, else from zoom LABEL_ZOOM on. Only the
     places of events the time window shows are labelled. */
  I.LABEL_ZOOM = 6;
  I.FEW_PLACES = 12;
  function refreshLabels(layer) {
    var map = layer._map;
    if (!map) return;
    if (layer._itineraLabels) { map.removeLayer(layer._itineraLabels); layer._itineraLabels = null; }
    var seen = {}, labels = [];
    layer.eachLayer(function (m) {
      var p = m.feature.properties, ll = m.getLatLng(), key = ll.lat.toFixed(4) + "," + ll.lng.toFixed(4);
      if (seen[key] || !p.place_name) return;
      seen[key] = true;
      labels.push(L.tooltip({ permanent: true, direction: "right", offset: [6, 0], className: "itinera-label",
        interactive: false }).setLatLng(ll).setContent(p.place_name));
    });
    var places = 0, st = map._itineraStacks || {};
    for (var k in st) if (st[k].some(function (m) { return m._map; })) places++; /* over every event layer */
    if (places <= I.FEW_PLACES || map.getZoom() >= I.LABEL_ZOOM) {
      layer._itineraLabels = L.layerGroup(labels).addTo(map);
    }
  }
  function labelled(layer) {
    var pending = null;
    var schedule = function () {
      if (pending) return;
      pending = L.Util.requestAnimFrame(function () { pending = null; refreshLabels(layer); });
    };
    layer.on("add", function () { layer._map.on("zoomend", schedule); schedule(); });
    layer.on("remove", function (e) {
      var map = e.target._mapToAdd || layer._itineraMap;
      if (layer._itineraLabels && layer._itineraLabels._map) layer._itineraLabels.remove();
      layer._itineraLabels = null;
      if (map) map.off("zoomend", schedule);
    });
    layer.on("add", function () { layer._itineraMap = layer._map; });
    layer.on("layeradd layerremove", schedule);
  }

  /* The event a reader chose elsewhere (the dashboard's side panel): its popup opens once drawn. */
  function openChosen(layer, id) {
    if (!id) return;
    layer.on("add", function () {
      layer.eachLayer(function (m) {
        if (m.feature.properties.event_id === id) {
          /* the popup is bound to the layer, not the marker: a click on the marker opens it */
          L.Util.requestAnimFrame(function () { if (m._map) m.fire("click", { latlng: m.getLatLng() }, true); });
        }
      });
    });
  }
  I.eventTooltip = function (layer) {
    var p = layer.feature.properties;
    return "<b>" + p.place_name + "</b> " + (p.edtf || "undated") + "<br>" + (p.summary || "");
  };

  /* data: {rows: [[lon, lat, kind, t0, t1, place, source, attribution, actors, certainty, flags,
     event_id, summary, edtf, date_phrase, contest_note, contested_by, passage], ...], and lookup
     tables kinds, places ([name, citation, note]), sources, attributions, actors, certainties}.
     flags: 1 implied, 2 contested. */
  function eventProps(data, r) {
    var pl = data.places[r[5]] || ["", "", ""];
    return {
      kind: data.kinds[r[2]], t0: r[3], t1: r[4], place_name: pl[0], place_citation: pl[1],
      place_note: pl[2], source: data.sources[r[6]], attribution: data.attributions[r[7]],
      actors: data.actors[r[8]], certainty: data.certainties[r[9]], implied: !!(r[10] & 1),
      contested: !!(r[10] & 2), event_id: r[11], summary: r[12] || "", edtf: r[13] || "",
      date_phrase: r[14] || "", contest_note: r[15] || "", contested_by: r[16] || "", passage: r[17] || ""
    };
  }

  I.BIG = 5000; /* above this many features a layer is drawn on one canvas of its own */

  I.eventLayer = function (data, options) {
    options = options || {};
    if (data.rows.length > (options.big || I.BIG)) return new I.BigPoints(data, options);
    var features = new Array(data.rows.length);
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i];
      features[i] = {
        type: "Feature", geometry: { type: "Point", coordinates: [r[0], r[1]] }, properties: eventProps(data, r)
      };
    }
    var layer = L.geoJSON(features, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, styleFor(f.properties)); }
    });
    stacked(layer);
    layer.bindPopup(I.eventPopup, { maxWidth: 420, maxHeight: 400, autoPanPadding: [10, 10] });
    layer.on("popupopen", fitPopup);
    layer.bindTooltip(I.eventTooltip, { sticky: true });
    labelled(layer);
    openChosen(layer, options.open);
    return layer;
  };

  /* A layer of many features drawn in one pass on its own canvas: 100,000 circles redraw in tens of
     milliseconds, where 100,000 Leaflet paths take seconds to add, filter or pan. Coordinates are
     projected once (zoom 0); a time filter flips a visibility flag per feature and redraws. */
  var BigCanvas = L.Layer.extend({
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "itinera-big leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      map.getPane("overlayPane").appendChild(this._canvas);
      map.on("moveend zoomend resize viewreset", this._schedule, this);
      if (this._onClick) map.on("click", this._onClick, this);
      this._redraw();
    },
    onRemove: function (map) {
      map.off("moveend zoomend resize viewreset", this._schedule, this);
      if (this._onClick) map.off("click", this._onClick, this);
      L.DomUtil.remove(this._canvas);
      this._canvas = null;
    },
    /* Several map events in one frame (moveend, zoomend, viewreset) make one redraw. */
    _schedule: function () {
      var self = this;
      if (this._frame) return;
      this._frame = L.Util.requestAnimFrame(function () { self._frame = null; self._redraw(); });
    },
    _project: function (lon, lat) {
      var p = L.CRS.EPSG3857.latLngToPoint(L.latLng(lat, lon), 0);
      return [p.x, p.y];
    },
    /* Pixel transform of the current view: container x = X * s + ox. */
    _view: function () {
      var map = this._map, s = Math.pow(2, map.getZoom());
      var origin = map.getPixelOrigin(), topLeft = map.containerPointToLayerPoint([0, 0]);
      return { s: s, ox: -origin.x - topLeft.x, oy: -origin.y - topLeft.y, topLeft: topLeft, size: map.getSize() };
    },
    _prepareCanvas: function () {
      var v = this._view(), c = this._canvas, dpr = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(c, v.topLeft);
      c.width = v.size.x * dpr; c.height = v.size.y * dpr;
      c.style.width = v.size.x + "px"; c.style.height = v.size.y + "px";
      var ctx = c.getContext("2d");
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      return [ctx, v];
    },
    filterSpan: function (lo, hi) {
      var n = this._t0.length, shown = 0;
      for (var i = 0; i < n; i++) {
        var a = this._t0[i], b = this._t1[i];
        var vis = (a === null || a <= hi) && (b === null || b >= lo);
        this._visible[i] = vis ? 1 : 0;
        shown += vis ? 1 : 0;
      }
      if (this._map) this._schedule();
      return shown;
    },
    visibleCount: function () {
      var n = 0;
      for (var i = 0; i < this._visible.length; i++) n += this._visible[i];
      return n;
    }
  });

  I.BigPoints = BigCanvas.extend({
    initialize: function (data, options) {
      var n = data.rows.length;
      this._data = data;
      this._x = new Float64Array(n); this._y = new Float64Array(n);
      this._t0 = new Array(n); this._t1 = new Array(n);
      this._style = new Array(n); this._visible = new Uint8Array(n).fill(1);
      var styles = {}, list = [];
      for (var i = 0; i < n; i++) {
        var r = data.rows[i], p = this._project(r[0], r[1]);
        this._x[i] = p[0]; this._y[i] = p[1];
        this._t0[i] = r[3]; this._t1[i] = r[4];
        var key = r[2] + "/" + r[10];
        if (!(key in styles)) {
          styles[key] = list.length;
          list.push(styleFor({ kind: data.kinds[r[2]], implied: !!(r[10] & 1), contested: !!(r[10] & 2) }));
        }
        this._style[i] = styles[key];
      }
      this._styles = list;
    },
    _redraw: function () {
      if (!this._map || !this._canvas) return;
      var cv = this._prepareCanvas(), ctx = cv[0], v = cv[1], n = this._x.length, W = v.size.x, H = v.size.y;
      var many = 0;
      for (var c = 0; c < n && many <= 20000; c++) many += this._visible[c];
      if (many > 20000) return this._drawSquares(ctx, v, W, H);
      for (var k = 0; k < this._styles.length; k++) {
        var st = this._styles[k], r = st.radius;
        ctx.beginPath();
        for (var i = 0; i < n; i++) {
          if (!this._visible[i] || this._style[i] !== k) continue;
          var x = this._x[i] * v.s + v.ox, y = this._y[i] * v.s + v.oy;
          if (x < -r || y < -r || x > W + r || y > H + r) continue;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
        ctx.globalAlpha = st.fillOpacity; ctx.fillStyle = st.fillColor; ctx.fill();
        ctx.globalAlpha = st.opacity; ctx.strokeStyle = st.color; ctx.lineWidth = st.weight;
        ctx.stroke(); /* no dashes here: dashed strokes of 100,000 shapes rasterise in seconds */
      }
      ctx.globalAlpha = 1;
    },
    /* Over 20,000 points in view, anti-aliased circles cost seconds to rasterise in software:
       small squares in each kind's colour, no outline, draw in tens of milliseconds. */
    _drawSquares: function (ctx, v, W, H) {
      var n = this._x.length;
      for (var k = 0; k < this._styles.length; k++) {
        var st = this._styles[k], r = Math.max(2, st.radius - 2);
        ctx.fillStyle = st.contested ? st.color : st.fillColor;
        ctx.globalAlpha = 0.85;
        for (var i = 0; i < n; i++) {
          if (!this._visible[i] || this._style[i] !== k) continue;
          var x = this._x[i] * v.s + v.ox, y = this._y[i] * v.s + v.oy;
          if (x < -r || y < -r || x > W + r || y > H + r) continue;
          ctx.fillRect(x - r, y - r, 2 * r, 2 * r);
        }
      }
      ctx.globalAlpha = 1;
    },
    _onClick: function (e) {
      var v = this._view(), cp = e.containerPoint, best = -1, bestD = 64, n = this._x.length;
      for (var i = 0; i < n; i++) {
        if (!this._visible[i]) continue;
        var dx = this._x[i] * v.s + v.ox - cp.x, dy = this._y[i] * v.s + v.oy - cp.y, d = dx * dx + dy * dy;
        if (d < bestD) { bestD = d; best = i; }
      }
      if (best < 0) return;
      var r = this._data.rows[best];
      var fake = { feature: { properties: eventProps(this._data, r) } };
      L.popup({ maxWidth: 420 }).setLatLng([r[1], r[0]]).setContent(I.eventPopup(fake)).openOn(this._map);
    }
  });

  /* An open "V" at the end of a path ([[lon, lat], ...]) pointing along its last stretch, sized by
     the path's length (0.08-0.8 degrees); longitudes scaled by cos(lat) so it is not sheared. */
  I.arrowHead = function (path) {
    var n = path.length, a = path[n - 2], b = path[n - 1], s = path[0];
    var k = Math.max(Math.cos((b[1] * Math.PI) / 180), 1e-3);
    var dx = (b[0] - a[0]) * k, dy = b[1] - a[1];
    if (!dx && !dy) return null;
    var size = Math.min(0.8, Math.max(0.08, 0.12 * Math.sqrt(Math.pow((b[0] - s[0]) * k, 2) + Math.pow(b[1] - s[1], 2))));
    var back = Math.atan2(dy, dx) + Math.PI, head = [];
    [0.45, -0.45].forEach(function (t) {
      head.push([b[0] + (size * Math.cos(back + t)) / k, b[1] + size * Math.sin(back + t)]);
    });
    return [head[0], b, head[1]];
  };

  /* Routes: data {rows: [[flat lon/lat path, t0, t1, actor, from, to, edtf, uncertain, reasons]],
     actors, colours (per actor), places, reasons}; strings already escaped. */
  function routePath(flat) {
    var path = [];
    for (var i = 0; i + 1 < flat.length; i += 2) path.push([flat[i], flat[i + 1]]);
    return path;
  }

  I.BigLines = BigCanvas.extend({
    initialize: function (data, options) {
      var n = data.rows.length;
      this._data = data; this._options = options || {};
      this._paths = new Array(n); this._t0 = new Array(n); this._t1 = new Array(n);
      this._visible = new Uint8Array(n).fill(1);
      for (var i = 0; i < n; i++) {
        var r = data.rows[i], path = routePath(r[0]), head = path.length > 1 ? I.arrowHead(path) : null;
        var parts = head ? [path, head] : [path], proj = [];
        for (var j = 0; j < parts.length; j++) {
          var flat = new Float64Array(parts[j].length * 2);
          for (var q = 0; q < parts[j].length; q++) {
            var p = this._project(parts[j][q][0], parts[j][q][1]);
            flat[2 * q] = p[0]; flat[2 * q + 1] = p[1];
          }
          proj.push(flat);
        }
        this._paths[i] = proj; this._t0[i] = r[1]; this._t1[i] = r[2];
      }
    },
    /* More routes than this in the window are not drawn (a tangle nobody can read, and seconds of
       rasterising per pan); the time control says so and asks for a narrower window. */
    tooMany: function () {
      var limit = this._options.limit || 5000;
      return this._map && this._shown > limit ? this._shown : 0;
    },
    filterSpan: function (lo, hi) {
      this._shown = BigCanvas.prototype.filterSpan.call(this, lo, hi);
      return this._shown;
    },
    _redraw: function () {
      if (!this._map || !this._canvas) return;
      var cv = this._prepareCanvas(), ctx = cv[0], v = cv[1], d = this._data, n = this._paths.length;
      if (this._shown === undefined) this._shown = n;
      if (this.tooMany()) return;
      /* Uncertain routes are fainter rather than dashed (dashes rasterise slowly in bulk), and
         steps under a pixel are skipped: tens of thousands of routes stay a fraction of a second. */
      ctx.lineWidth = this._options.weight || 1.5;
      for (var dashed = 0; dashed < 2; dashed++) {
        ctx.globalAlpha = dashed ? 0.35 : 0.7;
        for (var a = 0; a < d.colours.length; a++) {
          ctx.beginPath();
          for (var i = 0; i < n; i++) {
            var r = d.rows[i];
            if (!this._visible[i] || r[3] !== a || r[7] !== dashed) continue;
            var parts = this._paths[i];
            for (var j = 0; j < parts.length; j++) {
              var f = parts[j], px = f[0] * v.s + v.ox, py = f[1] * v.s + v.oy;
              ctx.moveTo(px, py);
              for (var q = 2; q < f.length; q += 2) {
                var x = f[q] * v.s + v.ox, y = f[q + 1] * v.s + v.oy;
                if (q + 2 < f.length && Math.abs(x - px) < 1 && Math.abs(y - py) < 1) continue;
                ctx.lineTo(x, y); px = x; py = y;
              }
            }
          }
          ctx.strokeStyle = d.colours[a]; ctx.stroke();
        }
      }
      ctx.globalAlpha = 1;
    }
  });

  I.lineLayer = function (data, options) {
    options = options || {};
    if (data.rows.length > (options.big || I.BIG)) return new I.BigLines(data, options);
    var features = data.rows.map(function (r) {
      var path = routePath(r[0]);
      var head = path.length > 1 ? I.arrowHead(path) : null;
      return {
        type: "Feature",
        geometry: { type: "MultiLineString", coordinates: head ? [path, head] : [path] },
        properties: {
          t0: r[1], t1: r[2], actor: data.actors[r[3]], color: data.colours[r[3]],
          from_name: data.places[r[4]], to_name: data.places[r[5]], edtf: r[6], uncertain: !!r[7],
          reasons: data.reasons[r[8]]
        }
      };
    });
    var layer = L.geoJSON(features, {
      style: function (f) {
        return {
          color: f.properties.color, weight: options.weight || 2.5, opacity: 0.85,
          dashArray: f.properties.uncertain ? "6 5" : null, className: options.className || "itinera-route"
        };
      }
    });
    layer.bindTooltip(function (l) {
      var p = l.feature.properties;
      var h = "<b>" + p.actor + "</b>: " + p.from_name + " &rarr; " + p.to_name + " (" + (p.edtf || "undated") + ")";
      if (p.uncertain) h += "<br><i>uncertain" + (p.reasons ? ": " + p.reasons : "") + "</i>";
      return h;
    }, { sticky: true });
    return layer;
  };

  /* Areas (uncertainty, polities): a FeatureCollection; a Point with properties.radius_m becomes a
     circle of that radius. properties.style overrides the default style; tooltip shown on hover. */
  I.areaLayer = function (fc, options) {
    options = options || {};
    var base = options.style || {};
    var layer = L.geoJSON(fc, {
      interactive: options.interactive !== false,
      pointToLayer: function (f, latlng) {
        return L.circle(latlng, L.extend({ radius: f.properties.radius_m }, base, f.properties.style || {}));
      },
      style: function (f) { return L.extend({}, base, (f && f.properties && f.properties.style) || {}); }
    });
    if (options.interactive !== false) {
      layer.bindTooltip(function (l) { return l.feature.properties.tooltip || ""; }, { sticky: true });
    }
    return layer;
  };

  I.legend = function (map, html, position) {
    var c = L.control({ position: position || "bottomright" });
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "itinera-legend leaflet-control");
      d.innerHTML = html;
      var details = d.querySelector("details");
      if (details && map.getSize().y < 640) details.open = false; /* a small map: folded, one click away */
      L.DomEvent.disableClickPropagation(d);
      return d;
    };
    c.addTo(map);
    return c;
  };

  function spanOf(l) {
    var p = (l.feature && l.feature.properties) || {};
    return [p.t0, p.t1];
  }

  /* Show a sublayer iff its span overlaps [lo, hi]; null ends are open. Only changed sublayers are
     touched, so a step of the slider costs a pass over the spans, not a redraw of everything. */
  I.filterLayer = function (group, lo, hi) {
    if (!group._itineraAll) group._itineraAll = group.getLayers();
    var all = group._itineraAll, shown = 0;
    for (var i = 0; i < all.length; i++) {
      var l = all[i], s = spanOf(l);
      var vis = (s[0] === null || s[0] === undefined || s[0] <= hi) && (s[1] === null || s[1] === undefined || s[1] >= lo);
      var has = group.hasLayer(l);
      if (vis && !has) group.addLayer(l);
      else if (!vis && has) group.removeLayer(l);
      if (vis) shown++;
    }
    return shown;
  };

  /* months: [[label, firstDay, lastDay], ...] (days since epoch); undated: escaped names. */
  I.TimeControl = L.Control.extend({
    options: { position: "topright", months: [], layers: [], undated: [], from: 0, to: null, delay: 700 },
    onAdd: function (map) {
      var o = this.options, self = this, n = o.months.length;
      var d = L.DomUtil.create("div", "itinera-time leaflet-control");
      var last = n - 1;
      d.innerHTML =
        '<div class="itinera-time-row"><button type="button" class="itinera-play" title="play">&#9654;</button>' +
        '<span class="itinera-time-label"></span> <span class="itinera-time-count"></span></div>' +
        '<label>from <input type="range" class="itinera-from" min="0" max="' + last + '" step="1"></label>' +
        '<label>to <input type="range" class="itinera-to" min="0" max="' + last + '" step="1"></label>' +
        (o.undated.length
          ? '<details class="itinera-undated"><summary>undated: ' + o.undated.length + "</summary><ul><li>" +
            o.undated.join("</li><li>") + "</li></ul></details>"
          : "");
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.disableScrollPropagation(d);
      this._years(d);
      this._from = d.querySelector(".itinera-from");
      this._to = d.querySelector(".itinera-to");
      this._label = d.querySelector(".itinera-time-label");
      this._count = d.querySelector(".itinera-time-count");
      this._play = d.querySelector(".itinera-play");
      this._from.value = o.from;
      this._to.value = o.to === null ? last : o.to;
      var onInput = function (e) {
        var a = +self._from.value, b = +self._to.value;
        if (a > b) { if (e && e.target === self._from) self._to.value = a; else self._from.value = b; }
        self.apply();
      };
      this._from.addEventListener("input", onInput);
      this._to.addEventListener("input", onInput);
      this._play.addEventListener("click", function () { self.toggle(); });
      this._map = map;
      setTimeout(function () { self.apply(); }, 0);
      return d;
    },
    /* Over more than three years, a year is picked first, then the months: two year menus set the
       sliders to the first and last month of the chosen years. */
    _years: function (d) {
      var m = this.options.months, self = this, first = {}, last = {}, years = [];
      if (m.length <= 36) return;
      for (var i = 0; i < m.length; i++) {
        var y = m[i][0].slice(0, 4);
        if (!(y in first)) { first[y] = i; years.push(y); }
        last[y] = i;
      }
      var row = L.DomUtil.create("div", "itinera-years", d);
      var opts = years.map(function (y) { return '<option value="' + y + '">' + y + "</option>"; }).join("");
      row.innerHTML = '<label>years <select class="itinera-year-from">' + opts + "</select></label>" +
        ' <label>to <select class="itinera-year-to">' + opts + "</select></label>";
      var yf = row.querySelector(".itinera-year-from"), yt = row.querySelector(".itinera-year-to");
      var pick = function (e) {
        if (yf.value > yt.value) { if (e.target === yf) yt.value = yf.value; else yf.value = yt.value; }
        self.setWindow(first[yf.value], last[yt.value]);
      };
      yf.addEventListener("change", pick);
      yt.addEventListener("change", pick);
      this._yearFrom = yf; this._yearTo = yt;
    },
    /* Set the window to months [a, b] (indexes) and filter; returns the number of features shown. */
    setWindow: function (a, b) {
      this._from.value = a; this._to.value = b;
      return this.apply();
    },
    apply: function () {
      var o = this.options, m = o.months;
      if (!m.length) return 0;
      var a = +this._from.value, b = +this._to.value, shown = 0;
      var counted = o.counted || o.layers;
      for (var i = 0; i < o.layers.length; i++) {
        var l = o.layers[i];
        var n = l.filterSpan ? l.filterSpan(m[a][1], m[b][2]) : I.filterLayer(l, m[a][1], m[b][2]);
        if (counted.indexOf(l) >= 0) shown += n;
      }
      this._label.textContent = m[a][0] + (a === b ? "" : " \u2013 " + m[b][0]);
      if (this._yearFrom) { this._yearFrom.value = m[a][0].slice(0, 4); this._yearTo.value = m[b][0].slice(0, 4); }
      var hidden = 0;
      for (var j = 0; j < o.layers.length; j++) if (o.layers[j].tooMany) hidden += o.layers[j].tooMany();
      this._count.textContent = "(" + shown + (shown === 1 ? " event" : " events") + " shown" +
        (hidden ? "; " + hidden + " routes not drawn: narrow the window" : "") + ")";
      this.shown = shown;
      return shown;
    },
    toggle: function () {
      var self = this;
      if (this._timer) { clearInterval(this._timer); this._timer = null; this._play.innerHTML = "&#9654;"; return; }
      this._play.innerHTML = "&#10074;&#10074;";
      this._timer = setInterval(function () {
        var a = +self._from.value, b = +self._to.value, last = self.options.months.length - 1, w = b - a;
        if (b >= last) { a = 0; b = w; } else { a += 1; b += 1; }
        self.setWindow(a, b);
      }, this.options.delay);
    }
  });
})();
