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
  }

  function hundredths(text) {
    var value = parseFloat(text);
    return isNaN(value) ? 0 : Math.round(value * 100);
  }

  function show(cents) {
    return String(cents / 100);
  }

  // Same rule as forms.normalise: scale to 100%, each 0.1..99.9, 2 decimals,
  // rounding down and giving the leftover hundredths to the largest values.
  function normalise(inputs) {
    var values = Array.prototype.map.call(inputs, function (input) {
      return Math.max(hundredths(input.value), 10);
    });
    var sum = values.reduce(function (a, b) { return a + b; }, 0);
    var cents = values.map(function (v) {
      return Math.max(Math.floor((v * 10000) / sum + 1e-9), 10);
    });
    var leftover = 10000 - cents.reduce(function (a, b) { return a + b; }, 0);
    var order = cents.map(function (_, i) { return i; })
      .sort(function (a, b) { return cents[b] - cents[a]; });
    order.forEach(function (i) {
      var step = Math.min(Math.max(leftover, 10 - cents[i]), 9990 - cents[i]);
      cents[i] += step;
      leftover -= step;
    });
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

  document.addEventListener("DOMContentLoaded", function () {
    localiseTimes();
    syncSlider();
    multipleChoice();
  });
})();
