// The distribution editor of numeric and date questions: sliders for up to
// three logistic components, a live SVG chart of the densities and the implied
// median and 80% interval. Progressive enhancement: without this file the
// p10/p50/p90 boxes of #distribution-form still work on their own.
(function () {
  "use strict";

  var CELLS = 200, POINTS = 201, MILLION = 1e6, MIN_STEP = 50, OPEN_TAIL = 1000;
  var Z_LIMIT = 1e300, MAX_COMPONENTS = 3, SVG = "http://www.w3.org/2000/svg";
  var MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

  // Maths: mirrors forecasts/scoring/continuous.py and continuous_inputs.py.

  function makeAxis(data) {
    return {
      min: data.range_min, max: data.range_max, log: data.scale === "log",
      openLower: !!data.open_lower, openUpper: !!data.open_upper,
      date: data.kind === "date", unit: data.unit || "",
    };
  }

  function toUnit(axis, x) {
    if (!axis.log) return (x - axis.min) / (axis.max - axis.min);
    if (!(x > 0)) return -Infinity;
    var low = Math.log(axis.min), high = Math.log(axis.max);
    return (Math.log(x) - low) / (high - low);
  }

  function fromUnit(axis, u) {
    if (u === 0) return axis.min;
    if (u === 1) return axis.max;
    if (!axis.log) return axis.min + u * (axis.max - axis.min);
    var low = Math.log(axis.min), high = Math.log(axis.max);
    return Math.exp(low + u * (high - low));
  }

  function logAddExp(a, b) {
    if (a === -Infinity) return b;
    if (b === -Infinity) return a;
    return Math.max(a, b) + Math.log1p(Math.exp(-Math.abs(a - b)));
  }

  function logSigmoid(z) { return -logAddExp(0, -z); }

  // ln(σ(z) − σ(from)) for z ≥ from, accurate deep in either tail.
  function logRise(from, z) {
    var upper = from >= 0;
    var high = upper ? logSigmoid(-from) : logSigmoid(z);
    var low = upper ? logSigmoid(-z) : logSigmoid(from);
    return high + Math.log(-Math.expm1(low - high));
  }

  // numpy.rint: halves to even, so the millionths match the server's exactly.
  function rint(x) {
    var r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  function mixtureShape(centers, spreads, weights, axis) {
    var n = centers.length, rise = [], zLow = [], i, c;
    for (c = 0; c < n; c++) zLow.push(clampZ((0 - centers[c]) / spreads[c]));
    for (i = 0; i < POINTS; i++) {
      var total = -Infinity;
      for (c = 0; c < n; c++) {
        var z = clampZ((i / CELLS - centers[c]) / spreads[c]);
        var per = axis.openLower ? logSigmoid(z) : logRise(zLow[c], z);
        total = logAddExp(total, Math.log(weights[c]) + per);
      }
      rise.push(total);
    }
    var span = 0;
    if (!axis.openUpper) span = rise[CELLS];
    else if (!axis.openLower) {
      span = -Infinity;
      for (c = 0; c < n; c++) span = logAddExp(span, Math.log(weights[c]) + logSigmoid(-zLow[c]));
    }
    var shape = [], top = 0;
    for (i = 0; i < POINTS; i++) {
      // A mixture too flat to rise in doubles over the range is uniform there.
      var s = isFinite(span) ? Math.min(Math.max(Math.exp(rise[i] - span), 0), 1) : i / CELLS;
      top = Math.max(top, isNaN(s) ? 0 : s);
      shape.push(top);
    }
    return shape;
  }

  function clampZ(z) { return Math.min(Math.max(z, -Z_LIMIT), Z_LIMIT); }

  // The stored CDF, in millionths, of components {center (question units,
  // POSIX seconds for dates), spread (scaled units), weight}.
  function cdfFromComponents(components, axis) {
    var sum = 0, centers = [], spreads = [], weights = [];
    components.forEach(function (c) { sum += c.weight; });
    components.forEach(function (c) {
      centers.push(toUnit(axis, c.center));
      spreads.push(c.spread);
      weights.push(c.weight / sum);
    });
    var shape = mixtureShape(centers, spreads, weights, axis);
    var start = axis.openLower ? OPEN_TAIL : 0;
    var free = MILLION - MIN_STEP * CELLS - start - (axis.openUpper ? OPEN_TAIL : 0);
    return shape.map(function (g, i) { return start + MIN_STEP * i + rint(free * g); });
  }

  // F on the grid along the lines through [p, u] points, tails as the server's;
  // the cell holding a point is set on the flatter line there, as the server's
  // first choice does, so F passes through every point.
  function cdfThroughPoints(points, axis) {
    var n = points.length, u = [], p = [];
    points.forEach(function (pt) { p.push(pt[0]); u.push(pt[1]); });
    var first = (p[1] - p[0]) / (u[1] - u[0]), last = (p[n - 1] - p[n - 2]) / (u[n - 1] - u[n - 2]);
    var low = axis.openLower ? Math.max(OPEN_TAIL / MILLION, p[0] - first * u[0]) : 0;
    var high = axis.openUpper ? Math.min(1 - OPEN_TAIL / MILLION, p[n - 1] + last * (1 - u[n - 1])) : 1;
    var ku = u.slice(), kp = p.slice();
    if (u[0] > 0) { ku.unshift(0); kp.unshift(low); }
    if (u[n - 1] < 1) { ku.push(1); kp.push(high); }
    var cdf = [], j = 0, i;
    for (i = 0; i < POINTS; i++) {
      var x = i / CELLS;
      while (j < ku.length - 2 && x > ku[j + 1]) j++;
      var t = ku[j + 1] > ku[j] ? (x - ku[j]) / (ku[j + 1] - ku[j]) : 1;
      cdf.push(kp[j] + Math.min(Math.max(t, 0), 1) * (kp[j + 1] - kp[j]));
    }
    u.forEach(function (uj, m) {
      var position = uj * CELLS, cell = Math.floor(position);
      if (position === cell) { cdf[cell] = p[m]; return; }
      var at = ku.indexOf(uj);
      var slope = Math.min((kp[at] - kp[at - 1]) / (ku[at] - ku[at - 1]), (kp[at + 1] - kp[at]) / (ku[at + 1] - ku[at]));
      cdf[cell] = p[m] + slope * (cell / CELLS - uj);
      cdf[cell + 1] = p[m] + slope * ((cell + 1) / CELLS - uj);
    });
    return cdf;
  }

  // The p-quantile in u: the least u with F(u) ≥ p; ±Infinity beyond a bound.
  function quantile(cdf, p) {
    var i = 0;
    while (i < POINTS && cdf[i] < p) i++;
    if (i === 0) return p < cdf[0] ? -Infinity : 0;
    if (i === POINTS) return Infinity;
    var rise = cdf[i] - cdf[i - 1];
    var frac = Math.min(Math.max(rise > 0 ? (p - cdf[i - 1]) / rise : 0, 0), 1);
    return (i - 1 + frac) / CELLS;
  }

  function pmf(cdf) {
    var out = [cdf[0]];
    for (var k = 1; k < POINTS; k++) out.push(cdf[k] - cdf[k - 1]);
    out.push(1 - cdf[CELLS]);
    return out;
  }

  // Formatting in the question's unit.

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // Dates show in the visitor's zone, the one the server reads the boxes in
  // (site.js tells it through the tz cookie).
  function isoDay(seconds) {
    var d = new Date(seconds * 1000);
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }

  function shortNumber(x) {
    var units = [[1e12, "T"], [1e9, "B"], [1e6, "M"], [1e3, "K"]];
    var r = Number(x.toPrecision(3));  // 999,999 reads 1M, not 1000K
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(r) >= units[i][0]) return String(Number((r / units[i][0]).toPrecision(3))) + units[i][1];
    }
    return String(r);
  }

  function grouped(x, places) {
    var parts = Math.abs(x).toFixed(places).split(".");
    parts[0] = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (x < 0 ? "−" : "") + parts.join(".");
  }

  function formatValue(axis, x) {
    if (axis.date) {
      var d = new Date(x * 1000);
      return d.getDate() + " " + MONTHS[d.getMonth()] + " " + d.getFullYear();
    }
    if (axis.log) return shortNumber(x);
    var span = axis.max - axis.min;
    return grouped(x, Math.max(0, Math.min(6, 2 - Math.floor(Math.log10(span)))));
  }

  // Axis ticks are short: dates as month and year.
  function tickLabel(axis, x) {
    if (!axis.date) return formatValue(axis, x);
    var d = new Date(x * 1000);
    return MONTHS[d.getMonth()] + " " + d.getFullYear();
  }

  function withUnit(axis, text) { return axis.unit ? text + " " + axis.unit : text; }

  function describeQuantile(axis, u) {
    if (u === -Infinity) return (axis.date ? "before " : "below ") + formatValue(axis, axis.min);
    if (u === Infinity) return (axis.date ? "after " : "above ") + formatValue(axis, axis.max);
    return formatValue(axis, fromUnit(axis, u));
  }

  // The value a percentile box shows: inside the range, as the form reads it.
  function boxValue(axis, u) {
    var x = fromUnit(axis, Math.min(Math.max(u, 0), 1));
    return axis.date ? isoDay(x) : String(Number(x.toPrecision(6)));
  }

  function parseBox(axis, text) {
    text = text.trim();
    if (axis.date) {
      var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
      return m ? new Date(+m[1], +m[2] - 1, +m[3]).getTime() / 1000 : NaN;
    }
    return text && /^[-+0-9.,eE\s]+$/.test(text) ? Number(text.replace(/[,\s]/g, "")) : NaN;
  }

  // The center as written into the JSON: ISO date-time for dates.
  function centerJson(axis, x) {
    return axis.date ? new Date(Math.round(x) * 1000).toISOString().replace(".000Z", "Z") : x;
  }

  function parseCenter(axis, value) {
    return axis.date && typeof value === "string" ? Date.parse(value) / 1000 : Number(value);
  }

  window.ForecastLedgerDistribution = {
    makeAxis: makeAxis, toUnit: toUnit, fromUnit: fromUnit, quantile: quantile,
    cdfFromComponents: cdfFromComponents, cdfThroughPoints: cdfThroughPoints,
    pmf: pmf, formatValue: formatValue, boxValue: boxValue, parseBox: parseBox,
  };

  // The editor.

  var SPREAD_MIN = 0.005, SPREAD_RATIO = 200;  // spreads 0.005 … 1 of the axis

  function spreadFromSlider(v) { return Number((SPREAD_MIN * Math.pow(SPREAD_RATIO, v / 100)).toPrecision(4)); }
  function sliderFromSpread(s) {
    return Math.min(100, Math.max(0, Math.round((100 * Math.log(s / SPREAD_MIN)) / Math.log(SPREAD_RATIO))));
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  // A CDF as probabilities; one stored in millionths (values above 1) is scaled.
  function probabilities(cdf) {
    if (!cdf || cdf.length !== POINTS) return null;
    var scale = Math.max.apply(null, cdf) > 1 ? MILLION : 1;
    return cdf.map(function (v) { return Number(v) / scale; });
  }

  function Editor(form, root, data) {
    this.form = form;
    this.root = root;
    this.data = data;
    this.axis = makeAxis(data);
    this.community = probabilities(data.community_cdf);
    this.hidden = form.querySelector("input[name=components]");
    this.boxes = ["p10", "p50", "p90"].map(function (n) { return form.querySelector("input[name=" + n + "]"); });
    this.components = this.initialComponents(data);
  }

  Editor.prototype.initialComponents = function (data) {
    var axis = this.axis, given = null;
    try { given = this.hidden.value ? JSON.parse(this.hidden.value) : null; } catch (e) { given = null; }
    given = given || data.my_components;
    if (given && given.length) {
      var top = Math.max.apply(null, given.map(function (c) { return Number(c.weight); }));
      return given.slice(0, MAX_COMPONENTS).map(function (c) {
        return { center: parseCenter(axis, c.center), spread: Number(c.spread), weight: (100 * Number(c.weight)) / top };
      });
    }
    var u = this.community ? quantile(this.community, 0.5) : 0.5;
    return [this.newComponent(isFinite(u) ? u : 0.5, 0.1)];
  };

  Editor.prototype.newComponent = function (u, spread) {
    return { center: this.roundCenter(fromUnit(this.axis, Math.min(Math.max(u, 0), 1))), spread: spread, weight: 100 };
  };

  Editor.prototype.roundCenter = function (x) {
    return this.axis.date ? Math.round(x) : Number(x.toPrecision(8));
  };

  Editor.prototype.start = function () {
    this.root.hidden = false;
    this.root.replaceChildren();
    this.list = el("div", { class: "dist-components" });
    this.addButton = el("button", { type: "button", class: "secondary dist-add", id: "dist-add" }, "Add component");
    this.mode = el("p", { class: "dist-mode small muted", id: "dist-mode" });
    this.chart = el("div", { class: "dist-chart" });
    this.summary = el("p", { class: "dist-summary", id: "dist-summary", "aria-live": "polite" });
    var legend = el("ul", { class: "dist-legend small" });
    legend.append(this.legendItem("mine", "Your forecast"));
    if (this.community) legend.append(this.legendItem("community", "Community"));
    this.root.append(this.chart, legend, this.summary, this.list, this.addButton, this.mode);
    this.addButton.addEventListener("click", this.add.bind(this));
    var self = this;
    this.boxes.forEach(function (box) {
      if (box) box.addEventListener("input", function () { self.typed(); });
    });
    this.renderComponents();
    if (this.typedBefore(this.data)) this.typed();
    else this.slid();
  };

  // Boxes the visitor filled (kept after an error), not the server's copy of
  // the standing forecast made with the sliders, decide the first drawing.
  Editor.prototype.typedBefore = function (data) {
    if (this.hidden.value || !this.boxes.some(function (b) { return b && b.value.trim(); })) return false;
    if (!data.my_components) return true;
    var axis = this.axis, cdf = this.componentsCdf();
    return ![0.1, 0.5, 0.9].every(function (p, j) {
      var box = this.boxes[j], u = quantile(cdf, p);
      if (!box || !isFinite(u)) return true;
      var typed = parseBox(axis, box.value), implied = parseBox(axis, boxValue(axis, u));
      return Math.abs(typed - implied) <= 1e-5 * Math.abs(implied);
    }, this);
  };

  Editor.prototype.legendItem = function (cls, text) {
    var item = el("li", {}, "");
    item.append(el("span", { class: "dist-swatch " + cls, "aria-hidden": "true" }), document.createTextNode(text));
    return item;
  };

  Editor.prototype.renderComponents = function () {
    this.list.replaceChildren();
    var self = this, many = this.components.length > 1;
    this.labels = [];
    this.components.forEach(function (c, i) { self.list.append(self.componentControls(c, i, many)); });
    this.addButton.hidden = this.components.length >= MAX_COMPONENTS;
  };

  Editor.prototype.componentControls = function (c, i, many) {
    var self = this, box = el("fieldset", { class: "dist-component", id: "component-" + i });
    box.append(el("legend", {}, "Component " + (i + 1)));
    var u = Math.min(Math.max(toUnit(this.axis, c.center), 0), 1);
    var rows = [["center", "Centre", 0, 1000, Math.round(u * 1000)], ["spread", "Spread", 0, 100, sliderFromSpread(c.spread)]];
    if (many) rows.push(["weight", "Weight", 1, 100, Math.max(1, Math.round(c.weight))]);
    rows.forEach(function (r) {
      var id = "component-" + i + "-" + r[0];
      var row = el("div", { class: "dist-slider" });
      var label = el("label", { for: id }, r[1] + (many ? " of component " + (i + 1) : ""));
      var input = el("input", { type: "range", id: id, min: r[2], max: r[3], step: 1 });
      input.value = r[4];
      var shown = el("output", { for: id, class: "small" });
      input.addEventListener("input", function () { self.move(i, r[0], Number(input.value)); });
      self.labels.push({ i: i, key: r[0], input: input, output: shown });
      row.append(label, input, shown);
      box.append(row);
    });
    if (many) {
      var remove = el("button", { type: "button", class: "secondary dist-remove", id: "component-" + i + "-remove" }, "Remove component " + (i + 1));
      remove.addEventListener("click", function () { self.remove(i); });
      box.append(remove);
    }
    return box;
  };

  // Each slider's value in words, beside it and for screen readers.
  Editor.prototype.refreshLabels = function () {
    var axis = this.axis, components = this.components, total = 0;
    components.forEach(function (c) { total += c.weight; });
    this.labels.forEach(function (l) {
      var c = components[l.i], text, more = "";
      if (l.key === "center") text = formatValue(axis, c.center);
      else if (l.key === "spread") { text = "±" + Number((c.spread * 100).toPrecision(2)) + "%"; more = " of the range"; }
      else { text = Math.round((100 * c.weight) / total) + "%"; more = " of the forecast"; }
      l.output.textContent = text;
      l.input.setAttribute("aria-valuetext", text + more);
    });
  };

  Editor.prototype.move = function (i, key, value) {
    var c = this.components[i];
    if (key === "center") c.center = this.roundCenter(fromUnit(this.axis, value / 1000));
    else if (key === "spread") c.spread = spreadFromSlider(value);
    else c.weight = value;
    this.slid();
  };

  Editor.prototype.add = function () {
    var cdf = this.componentsCdf(), u = quantile(cdf, 0.9), total = 0;
    this.components.forEach(function (c) { total += c.weight; });
    var added = this.newComponent(isFinite(u) ? u : 0.75, 0.05);
    added.weight = Math.max(1, Math.round(total / this.components.length));
    this.components.push(added);
    this.renderComponents();
    this.slid();
    document.getElementById("component-" + (this.components.length - 1) + "-center").focus();
  };

  Editor.prototype.remove = function (i) {
    this.components.splice(i, 1);
    this.renderComponents();
    this.slid();
    this.addButton.focus();
  };

  Editor.prototype.componentsCdf = function () {
    return cdfFromComponents(this.components, this.axis).map(function (m) { return m / MILLION; });
  };

  // A slider moved: the components decide; the boxes show their quantiles.
  Editor.prototype.slid = function () {
    var axis = this.axis;
    this.hidden.value = JSON.stringify(this.components.map(function (c) {
      return { center: centerJson(axis, c.center), spread: c.spread, weight: Number(c.weight.toPrecision(6)) };
    }));
    var cdf = this.componentsCdf();
    [0.1, 0.5, 0.9].forEach(function (p, j) {
      if (this.boxes[j]) this.boxes[j].value = boxValue(axis, quantile(cdf, p));
    }, this);
    this.refreshLabels();
    this.mode.textContent = "Saving uses the sliders; typing in the percentile boxes switches to them.";
    this.draw(cdf);
  };

  // A box was typed in: the server will use the boxes, so the chart does too.
  Editor.prototype.typed = function () {
    this.hidden.value = "";
    this.mode.textContent = "Saving uses the percentile boxes; moving a slider switches back.";
    var axis = this.axis, points = [], levels = [0.1, 0.5, 0.9];
    this.boxes.forEach(function (box, j) {
      var u = box ? toUnit(axis, parseBox(axis, box.value)) : NaN;
      if (u >= 0 && u <= 1) points.push([levels[j], u]);
    });
    var ordered = points.length === 3 && points[0][1] < points[1][1] && points[1][1] < points[2][1];
    if (!ordered) {
      this.draw(null);
      this.summary.textContent = "Enter three increasing values inside the range to see the distribution.";
      return;
    }
    this.draw(cdfThroughPoints(points, axis));
  };

  Editor.prototype.draw = function (cdf) {
    var W = 320, H = 170, L = 6, R = 6, T = 8, B = 24, PW = W - L - R, PH = H - T - B;
    var axis = this.axis, mine = cdf ? pmf(cdf).slice(1, POINTS) : null;
    var theirs = this.community ? pmf(this.community).slice(1, POINTS) : null;
    var top = 0;
    [mine, theirs].forEach(function (d) { if (d) d.forEach(function (v) { top = Math.max(top, v); }); });
    top = top > 0 ? top * 1.08 : 1;
    var chart = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", class: "dist-svg", id: "dist-svg" });
    chart.append(svg("title", {}));
    chart.firstChild.textContent = "Density of your forecast" + (theirs ? " and of the community's" : "") + " over the range";
    chart.append(svg("line", { x1: L, x2: W - R, y1: T + PH, y2: T + PH, class: "dist-axis" }));
    function path(d) {
      var pts = ["M" + L + "," + (T + PH)];
      d.forEach(function (v, k) {
        var y = (T + PH - (PH * v) / top).toFixed(2);
        pts.push("L" + (L + (PW * k) / CELLS).toFixed(2) + "," + y, "L" + (L + (PW * (k + 1)) / CELLS).toFixed(2) + "," + y);
      });
      return pts.join(" ") + " L" + (W - R) + "," + (T + PH);
    }
    if (theirs) chart.append(svg("path", { d: path(theirs), class: "dist-line community", id: "dist-community" }));
    if (mine) chart.append(svg("path", { d: path(mine), class: "dist-line mine", id: "dist-mine" }));
    var ticks = [0, 0.25, 0.5, 0.75, 1], longest = 0;
    ticks.forEach(function (u) { longest = Math.max(longest, tickLabel(axis, fromUnit(axis, u)).length); });
    if (longest > 6) ticks = [0, 0.5, 1];  // long labels would touch
    ticks.forEach(function (u, n) {
      var x = L + PW * u, anchor = n === 0 ? "start" : n === ticks.length - 1 ? "end" : "middle";
      chart.append(svg("line", { x1: x, x2: x, y1: T + PH, y2: T + PH + 4, class: "dist-axis" }));
      var label = svg("text", { x: x, y: H - 6, "text-anchor": anchor, class: "dist-tick" });
      label.textContent = tickLabel(axis, fromUnit(axis, u));
      chart.append(label);
    });
    this.chart.replaceChildren(chart);
    if (cdf) this.summarise(cdf);
  };

  Editor.prototype.summarise = function (cdf) {
    var axis = this.axis;
    var text = "Median " + withUnit(axis, describeQuantile(axis, quantile(cdf, 0.5))) +
      "; 80% interval " + describeQuantile(axis, quantile(cdf, 0.1)) + " to " +
      withUnit(axis, describeQuantile(axis, quantile(cdf, 0.9))) + ".";
    var below = cdf[0], above = 1 - cdf[CELLS];
    if (axis.openLower && below >= 0.005) text += " " + Math.round(below * 100) + "% below the range.";
    if (axis.openUpper && above >= 0.005) text += " " + Math.round(above * 100) + "% above the range.";
    this.summary.textContent = text;
  };

  function init() {
    var form = document.getElementById("distribution-form");
    var root = document.getElementById("distribution-editor");
    var source = document.getElementById("distribution-data");
    if (!form || !root || !source || !form.querySelector("input[name=components]")) return;
    new Editor(form, root, JSON.parse(source.textContent)).start();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
