// KPI bars per group (ECharts, served locally).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var el = document.getElementById("kpi-chart");
    var data = JSON.parse(document.getElementById("kpi-data").textContent);
    if (!el || !data.labels.length) { if (el) { el.classList.add("hidden"); } return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, bottom: 60, top: 36 },
      xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 8 ? 40 : 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: Object.keys(data.series).map(function (key) {
        return { name: data.names[key], type: "bar", data: data.series[key] };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
})();
