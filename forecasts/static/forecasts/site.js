// Progressive enhancement only: every page and form works without this file.
(function () {
  "use strict";

  var TIME = {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  };
  var DATE = { year: "numeric", month: "short", day: "numeric" };

  // The server writes UTC; show the visitor's zone and keep UTC in the title.
  function localiseTimes() {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var time = new Intl.DateTimeFormat(undefined, TIME);
    var date = new Intl.DateTimeFormat(undefined, DATE);
    document.querySelectorAll("time[data-local]").forEach(function (el) {
      var moment = new Date(el.getAttribute("datetime"));
      if (isNaN(moment.getTime())) return;
      el.title = el.textContent.trim();
      el.textContent = (el.dataset.local === "date" ? date : time).format(moment);
    });
    var note = document.getElementById("visitor-tz");
    if (note && zone) note.textContent = "your time zone (" + zone + ")";
    rememberZone(zone);
  }

  // The server reads typed date-times and draws charts in this zone.
  function rememberZone(zone) {
    // IANA names need no escaping; the server does not decode cookies.
    if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
    var cookie = "tz=" + zone;
    if (document.cookie.split("; ").indexOf(cookie) !== -1) return;
    document.cookie = cookie + "; path=/; max-age=31536000; SameSite=Lax";
  }

  function syncSlider() {
    var box = document.getElementById("id_probability");
    var slider = document.getElementById("probability-slider");
    if (!box || !slider) return;
    slider.hidden = false;
    if (box.value) slider.value = box.value;
    slider.addEventListener("input", function () {
      box.value = slider.value;
    });
    box.addEventListener("input", function () {
      var value = parseFloat(box.value);
      if (!isNaN(value)) slider.value = value;
    });
    var odds = document.getElementById("id_odds");
    if (!odds) return;
    odds.addEventListener("input", function () {
      var percent = oddsToPercent(odds.value);
      if (percent === null) return;
      box.value = percent;
      slider.value = percent;
    });
  }

  // Same rule as forms.odds_to_percent: "3:1" and "3 to 1" are 3 chances for
  // Yes against 1, "1 in 8" is 1/8; shown back as a percentage, 2 decimals.
  function oddsToPercent(text) {
    var match = /^\s*(\d+(?:\.\d+)?)\s*(:|to|in)\s*(\d+(?:\.\d+)?)\s*$/i.exec(text);
    if (!match) return null;
    var a = parseFloat(match[1]);
    var b = parseFloat(match[3]);
    var whole = match[2].toLowerCase() === "in" ? b : a + b;
    if (!whole || a > whole) return null;
    // Math.round rounds halves up, as ROUND_HALF_UP does on the server.
    var percent = Math.round((a * 10000) / whole) / 100;
    return percent >= 0.1 && percent <= 99.9 ? String(percent) : null;
  }

  function hundredths(text) {
    var value = parseFloat(text);
    return isNaN(value) ? 0 : Math.round(value * 100);
  }

  function show(cents) {
    return String(cents / 100);
  }

  // Whole shares of total in proportion to weights (integers), summing to
  // total: rounded down, the rest to the largest remainders, ties to the first.
  function largestRemainder(weights, total) {
    var whole = weights.reduce(function (a, b) { return a + b; }, 0);
    var shares = weights.map(function (w) { return Math.floor((w * total) / whole); });
    var rest = weights.map(function (w) { return (w * total) % whole; });
    var order = weights.map(function (_, i) { return i; }).sort(function (a, b) {
      return rest[b] - rest[a] || a - b;
    });
    var left = total - shares.reduce(function (a, b) { return a + b; }, 0);
    order.slice(0, left).forEach(function (i) { shares[i] += 1; });
    return shares;
  }

  // Same rule as forms.normalise: hundredths summing to exactly 100.00, each
  // value counted as at least 0.1; a share under 0.1 is held there and the
  // rest shared out again.
  function normalise(inputs) {
    var cents = Array.prototype.map.call(inputs, function (input) {
      return Math.max(hundredths(input.value), 10);
    });
    var held = {};
    var free, shares;
    for (;;) {
      free = cents.map(function (_, i) { return i; })
        .filter(function (i) { return !(i in held); });
      var heldSum = Object.keys(held).length * 10;
      shares = largestRemainder(free.map(function (i) { return cents[i]; }),
        10000 - heldSum);
      var small = free.filter(function (_, k) { return shares[k] < 10; });
      if (!small.length) break;
      small.forEach(function (i) { held[i] = 10; });
    }
    free.forEach(function (i, k) { cents[i] = shares[k]; });
    Object.keys(held).forEach(function (i) { cents[i] = 10; });
    inputs.forEach(function (input, i) {
      input.value = show(cents[i]);
    });
  }

  function multipleChoice() {
    var form = document.getElementById("forecast-form");
    if (!form || form.dataset.kind !== "multiple") return;
    var inputs = form.querySelectorAll('input[name^="option_"]');
    var total = document.getElementById("total");
    function update() {
      var sum = 0;
      inputs.forEach(function (input) { sum += hundredths(input.value); });
      total.textContent = show(sum);
      total.classList.toggle("off", sum !== 10000);
    }
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    document.getElementById("normalise").addEventListener("click", function (event) {
      event.preventDefault();
      normalise(inputs);
      update();
    });
    update();
  }

  // On a phone the background text and the ledger start folded.
  function foldOnPhones() {
    if (!window.matchMedia("(max-width: 640px)").matches) return;
    document.querySelectorAll("details[data-collapse-narrow]").forEach(function (el) {
      if ("#" + el.id !== window.location.hash) el.open = false;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldOnPhones();
    localiseTimes();
    syncSlider();
    multipleChoice();
  });
})();
