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
    return h + "</div>";
  };
  I.eventTooltip = function (layer) {
    var p = layer.feature.properties;
    return "<b>" + p.place_name + "</b> " + (p.edtf || "undated") + "<br>" + (p.summary || "");
  };

  /* data: {rows: [[lon, lat, kind, t0, t1, place, source, attribution, actors, certainty, flags,
     event_id, summary, edtf, date_phrase, contest_note, contested_by, passage], ...], and lookup
     tables kinds, places ([name, citation, note]), sources, attributions, actors, certainties}.
     flags: 1 implied, 2 contested. */
  I.eventLayer = function (data, options) {
    var features = new Array(data.rows.length);
    for (var i = 0; i < data.rows.length; i++) {
      var r = data.rows[i], pl = data.places[r[5]] || ["", "", ""];
      features[i] = {
        type: "Feature",
        geometry: { type: "Point", coordinates: [r[0], r[1]] },
        properties: {
          kind: data.kinds[r[2]], t0: r[3], t1: r[4], place_name: pl[0], place_citation: pl[1],
          place_note: pl[2], source: data.sources[r[6]], attribution: data.attributions[r[7]],
          actors: data.actors[r[8]], certainty: data.certainties[r[9]], implied: !!(r[10] & 1),
          contested: !!(r[10] & 2), event_id: r[11], summary: r[12], edtf: r[13], date_phrase: r[14],
          contest_note: r[15], contested_by: r[16], passage: r[17]
        }
      };
    }
    var layer = L.geoJSON(features, {
      pointToLayer: function (f, latlng) { return L.circleMarker(latlng, styleFor(f.properties)); }
    });
    layer.bindPopup(I.eventPopup, { maxWidth: 420 });
    layer.bindTooltip(I.eventTooltip, { sticky: true });
    return layer;
  };

  /* Lines (routes): rows [[coords (list of [lon, lat] parts), t0, t1, colour, dashed, tooltip]]. */
  I.lineLayer = function (rows, options) {
    options = options || {};
    var features = rows.map(function (r) {
      return {
        type: "Feature",
        geometry: { type: "MultiLineString", coordinates: r[0] },
        properties: { t0: r[1], t1: r[2], color: r[3], dashed: r[4], tooltip: r[5] }
      };
    });
    var layer = L.geoJSON(features, {
      style: function (f) {
        return {
          color: f.properties.color, weight: options.weight || 2.5, opacity: 0.85,
          dashArray: f.properties.dashed ? "6 5" : null, className: options.className || "itinera-route"
        };
      }
    });
    layer.bindTooltip(function (l) { return l.feature.properties.tooltip; }, { sticky: true });
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
    /* Set the window to months [a, b] (indexes) and filter; returns the number of features shown. */
    setWindow: function (a, b) {
      this._from.value = a; this._to.value = b;
      return this.apply();
    },
    apply: function () {
      var o = this.options, m = o.months;
      if (!m.length) return 0;
      var a = +this._from.value, b = +this._to.value, shown = 0;
      for (var i = 0; i < o.layers.length; i++) shown += I.filterLayer(o.layers[i], m[a][1], m[b][2]);
      this._label.textContent = m[a][0] + (a === b ? "" : " \u2013 " + m[b][0]);
      this._count.textContent = "(" + shown + " shown)";
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
