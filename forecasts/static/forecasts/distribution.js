// The distribution editor of numeric and date questions: sliders for up to
// three logistic components, a live SVG chart of the densities and the implied
// median and 80% interval. Progressive enhancement: without this file the
// p10/p50/p90 boxes of #distribution-form still work on their own. Its maths
// is distribution-maths.js, which the page loads first.
(function () {
  "use strict";

  var D = window.ForecastLedgerDistribution;
  if (!D) return;
  var CELLS = D.CELLS, POINTS = D.POINTS, MILLION = D.MILLION;
  var makeAxis = D.makeAxis, toUnit = D.toUnit, fromUnit = D.fromUnit, quantile = D.quantile;
  var cdfFromComponents = D.cdfFromComponents, cdfThroughPoints = D.cdfThroughPoints, pmf = D.pmf;
  var formatValue = D.formatValue, tickLabel = D.tickLabel, withUnit = D.withUnit;
  var describeQuantile = D.describeQuantile, boxValue = D.boxValue, parseBox = D.parseBox;
  var centerJson = D.centerJson, parseCenter = D.parseCenter;
  var MAX_COMPONENTS = 3, SVG = "http://www.w3.org/2000/svg";

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
