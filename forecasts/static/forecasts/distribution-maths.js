// The maths of the distribution editor of numeric and date questions, mirroring
// forecasts/scoring/continuous.py and continuous_inputs.py: the CDF of logistic
// components or through percentile points, quantiles and the formatting of
// values in the question's unit. No DOM: it only sets
// window.ForecastLedgerDistribution, which distribution.js (loaded after it)
// and the browser tests use.
(function () {
  "use strict";

  var CELLS = 200, POINTS = 201, MILLION = 1e6, MIN_STEP = 50, OPEN_TAIL = 1000;
  var Z_LIMIT = 1e300;
  var MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

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
    CELLS: CELLS, POINTS: POINTS, MILLION: MILLION,
    makeAxis: makeAxis, toUnit: toUnit, fromUnit: fromUnit, quantile: quantile,
    cdfFromComponents: cdfFromComponents, cdfThroughPoints: cdfThroughPoints,
    pmf: pmf, formatValue: formatValue, tickLabel: tickLabel, withUnit: withUnit,
    describeQuantile: describeQuantile, boxValue: boxValue, parseBox: parseBox,
    centerJson: centerJson, parseCenter: parseCenter,
  };
})();
