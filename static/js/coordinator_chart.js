// The coordinator's matrix over time: one small line chart per category, self against
// supervisor. The numbers come from a json_script block (no inline script, strict CSP); the
// same numbers are in the table under the charts for screen readers and print.
(function () {
  "use strict";

  document.querySelectorAll("[data-print-page]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });

  var source = document.getElementById("coordinator-chart-data");
  if (!source || !window.Chart) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var levelNames = data.levels;
  var values = Object.keys(levelNames).map(Number);
  var lowest = Math.min.apply(null, values);
  var highest = Math.max.apply(null, values);
  // Colour-blind-safe pair (blue and orange) that also differs in line style and point shape.
  // Self is drawn on top with smaller points, so equal levels still show both.
  var SELF = { color: "#b35900", dash: [6, 4], point: "rectRot", radius: 4, order: 0 };
  var SUPERVISOR = { color: "#1f4e79", dash: [], point: "circle", radius: 8, order: 1 };

  function dataset(label, points, style) {
    return {
      label: label,
      data: points,
      borderColor: style.color,
      backgroundColor: style.color,
      borderDash: style.dash,
      pointStyle: style.point,
      pointRadius: style.radius,
      pointHoverRadius: style.radius + 2,
      order: style.order,
      borderWidth: 2,
      spanGaps: true,
    };
  }

  // A dashed vertical line before each cycle rated on a new rubric version, with its number
  // ("Rubric v2"), so levels on either side are not read as one series of the same words.
  var marks = data.marks || [];
  var versionMarker = {
    id: "versionMarker",
    afterDatasetsDraw: function (chart) {
      var x = chart.scales.x;
      var area = chart.chartArea;
      var context = chart.ctx;
      marks.forEach(function (mark, index) {
        if (!mark || index === 0) {
          return;
        }
        var at = (x.getPixelForValue(index - 1) + x.getPixelForValue(index)) / 2;
        context.save();
        context.strokeStyle = "#212529";
        context.lineWidth = 1.5;
        context.setLineDash([5, 3]);
        context.beginPath();
        context.moveTo(at, area.top);
        context.lineTo(at, area.bottom);
        context.stroke();
        context.setLineDash([]);
        context.fillStyle = "#212529";
        context.font = "bold 11px sans-serif";
        context.textAlign = at > (area.left + area.right) / 2 ? "right" : "left";
        context.fillText(mark, at + (context.textAlign === "left" ? 4 : -4), area.top + 10);
        context.restore();
      });
    },
  };

  data.categories.forEach(function (series) {
    var canvas = document.querySelector('canvas[data-category="' + series.key + '"]');
    if (!canvas) {
      return;
    }
    new window.Chart(canvas, {
      type: "line",
      plugins: [versionMarker],
      data: {
        labels: data.labels,
        datasets: [
          dataset("Self", series.self, SELF),
          dataset("Supervisor", series.supervisor, SUPERVISOR),
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: {
            min: lowest - 0.25,
            max: highest + 0.25,
            afterBuildTicks: function (axis) {
              axis.ticks = values.map(function (value) {
                return { value: value };
              });
            },
            ticks: {
              callback: function (value) {
                return levelNames[String(value)] || "";
              },
            },
          },
        },
        plugins: {
          legend: { labels: { usePointStyle: true } },
          tooltip: {
            callbacks: {
              label: function (context) {
                var name = levelNames[String(context.parsed.y)] || "not rated";
                return context.dataset.label + ": " + name;
              },
            },
          },
        },
      },
    });
  });
})();
