// Charts of the overview page (Chart.js, served by the console itself). The data is
// JSON in the page; nothing here builds HTML from it.
(function () {
  "use strict";
  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }
  var chart = data("chart-data");
  var outcomes = data("outcome-data");
  if (!chart || typeof Chart === "undefined") return;
  var hourly = chart.period === "day";
  var labels = chart.series.map(function (point) {
    var d = new Date(point.at * 1000);
    return hourly ? d.getUTCHours() + ":00" : d.toISOString().slice(5, 10);
  });
  function line(label, key, colour) {
    return {label: label, data: chart.series.map(function (p) { return p[key]; }),
            borderColor: colour, backgroundColor: colour, tension: 0.25};
  }
  new Chart(document.getElementById("messages-chart"), {
    type: "line",
    data: {labels: labels, datasets: [
      line("Visitor messages", "messages", "#4b3f72"),
      line("Resolved", "resolved", "#2e8b57"),
      line("Unanswered", "unanswered", "#d2691e")
    ]},
    options: {animation: false, maintainAspectRatio: false,
              scales: {x: {ticks: {maxRotation: 0, autoSkipPadding: 12}},
                       y: {beginAtZero: true, ticks: {precision: 0}}}}
  });
  if (outcomes) {
    new Chart(document.getElementById("outcomes-chart"), {
      type: "bar",
      data: {labels: Object.keys(outcomes), datasets: [{label: "Messages",
             data: Object.values(outcomes), backgroundColor: "#4b3f72"}]},
      options: {animation: false, maintainAspectRatio: false, indexAxis: "y",
                plugins: {legend: {display: false}},
                // Every outcome keeps its label, however narrow the screen.
                scales: {x: {beginAtZero: true, ticks: {precision: 0}},
                         y: {ticks: {autoSkip: false}}}}
    });
  }
})();
