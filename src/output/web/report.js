(function () {
  var charts = JSON.parse(document.getElementById('doseflow-charts').textContent);
  var pending = charts.map(function (chart) {
    return vegaEmbed('#' + chart.id, chart.spec, { renderer: 'svg', actions: false, mode: 'vega-lite' })
      .catch(function (error) {
        var box = document.getElementById(chart.id);
        box.className += ' failed';
        box.textContent = 'This chart could not be drawn: ' + error;
        console.error('chart ' + chart.id + ': ' + error);
        throw error;
      });
  });
  Promise.allSettled(pending).then(function (results) {
    var failed = results.some(function (result) { return result.status === 'rejected'; });
    document.body.setAttribute('data-rendered', failed ? 'error' : 'ok');
  });
})();
