// The what-if page of `doseflow serve` (docs/serve.md): builds the levers from GET /api/levers, runs the baseline
// and each what-if through POST /api/run (one request at a time), and draws both side by side. The lever settings
// live in the address: #set=<JSON of PATH: VALUE>&days=N. <body data-state> is "ready" when the page shows the
// latest settings, "running" while a run is out and "error" after a refused one; data-runs counts drawn what-ifs.
'use strict';
(function () {
  var client = Math.random().toString(36).slice(2);
  var info = null;            // GET /api/levers
  var settings = {};          // PATH -> value differing from the base
  var days = null;            // null: the scenario's span
  var baselines = {};         // days -> answer
  var busy = false, again = false, runs = 0;

  function $(id) { return document.getElementById(id); }
  function setState(state, text, isError) {
    document.body.setAttribute('data-state', state);
    $('status').textContent = text;
    $('status').className = isError ? 'error' : '';
  }

  function readAddress() {
    var params = new URLSearchParams(location.hash.slice(1));
    try { settings = params.has('set') ? JSON.parse(params.get('set')) : {}; } catch (e) { settings = {}; }
    days = params.has('days') ? Number(params.get('days')) : null;
  }
  function writeAddress() {
    var params = new URLSearchParams();
    if (Object.keys(settings).length) params.set('set', JSON.stringify(settings));
    if (days !== null) params.set('days', String(days));
    history.replaceState(null, '', '#' + params.toString());
  }
  function body(set) {
    var request = { set: set };
    if (days !== null) request.days = days;
    return JSON.stringify(request);
  }

  function post(url, text) {
    return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Doseflow-Client': client },
                        body: text }).then(function (response) {
      if (response.ok) return response;
      return response.json().then(function (answer) {
        var error = new Error(answer.error || ('HTTP ' + response.status));
        error.problems = answer.problems || [];
        throw error;
      });
    });
  }

  // ------------------------------------------------------------------------------------------------ levers
  function number(value) { return typeof value === 'number' ? value : Number(value); }
  function format(value) {
    if (typeof value !== 'number') return String(value);
    if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en');
    return String(Math.round(value * 1000) / 1000);
  }
  function sliderRange(lever) {
    var base = number(lever.value);
    var min = lever.min !== null ? lever.min : 0;
    // Bounded above by the registry where it says; otherwise up to four times the base value (a page choice).
    var max = lever.max !== null ? lever.max : Math.max(4 * Math.abs(base), 1);
    var step = lever.type === 'integer' ? 1 : (max - min) / 200;
    return { min: min, max: max, step: step };
  }
  function leverInput(lever) {
    var current = Object.prototype.hasOwnProperty.call(settings, lever.path) ? settings[lever.path] : lever.value;
    var input;
    if (lever.type === 'boolean') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = !!current;
      input.read = function () { return input.checked; };
    } else if (lever.choices && lever.choices.length) {
      input = document.createElement('select');
      lever.choices.forEach(function (choice) {
        var option = document.createElement('option');
        option.value = option.textContent = choice;
        input.appendChild(option);
      });
      input.value = current;
      input.read = function () { return input.value; };
    } else if (lever.type === 'date') {
      input = document.createElement('input');
      input.type = 'date';
      input.min = info.start; input.max = info.end;
      input.value = current;
      input.read = function () { return input.value; };
    } else if (lever.type === 'number' || lever.type === 'integer') {
      var range = sliderRange(lever);
      input = document.createElement('input');
      input.type = 'range';
      input.min = range.min; input.max = range.max; input.step = range.step;
      input.value = current;
      input.read = function () { return lever.type === 'integer' ? Math.round(Number(input.value)) : Number(input.value); };
    } else {
      input = document.createElement('input');
      input.type = 'text';
      input.value = current;
      input.size = 8;
      input.read = function () { return input.value; };
    }
    input.setAttribute('data-path', lever.path);
    return input;
  }
  function buildLevers() {
    var box = $('levers');
    box.textContent = '';
    var group = null;
    info.levers.forEach(function (lever) {
      if (lever.group !== group) {
        group = lever.group;
        var heading = document.createElement('h2');
        heading.textContent = group;
        box.appendChild(heading);
      }
      var row = document.createElement('div');
      row.className = 'lever';
      var label = document.createElement('label');
      label.textContent = lever.label;
      label.title = lever.help + (lever.source ? ' (source: ' + lever.source + ')' : '');
      var input = leverInput(lever);
      var shown = document.createElement('output');
      function show() {
        var value = input.read();
        shown.textContent = lever.type === 'boolean' ? (value ? 'yes' : 'no') : format(value);
        row.className = 'lever' + (Object.prototype.hasOwnProperty.call(settings, lever.path) ? ' changed' : '');
      }
      input.addEventListener('input', show);
      input.addEventListener('change', function () {
        var value = input.read();
        if (JSON.stringify(value) === JSON.stringify(lever.value)) delete settings[lever.path];
        else settings[lever.path] = value;
        show();
        writeAddress();
        schedule();
      });
      var meta = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = [lever.unit ? 'unit: ' + lever.unit : '', lever.range ? 'valid: ' + lever.range : '',
                          'baseline: ' + format(lever.value), lever.path].filter(Boolean).join(' · ');
      row.appendChild(label); row.appendChild(input); row.appendChild(shown); row.appendChild(meta);
      box.appendChild(row);
      show();
    });
  }

  // ------------------------------------------------------------------------------------------------ figures
  function flatten(value, path, out) {
    if (Array.isArray(value)) return;  // per-supplier and per-product lists: in the charts
    if (value !== null && typeof value === 'object') {
      Object.keys(value).forEach(function (key) { flatten(value[key], path ? path + '.' + key : key, out); });
    } else if (typeof value === 'number') {
      out[path] = value;
    }
  }
  function drawFigures(base, whatIf) {
    var a = {}, b = {};
    flatten(base.figures, '', a);
    flatten(whatIf.figures, '', b);
    var rows = $('figures').tBodies[0];
    rows.textContent = '';
    Object.keys(a).forEach(function (key) {
      var row = rows.insertRow();
      row.setAttribute('data-figure', key);
      var difference = (b[key] || 0) - a[key];
      var cells = [key, format(a[key]), format(b[key]),
                   (difference > 0 ? '+' : '') + format(difference) +
                   (a[key] ? ' (' + (difference >= 0 ? '+' : '') + (100 * difference / a[key]).toFixed(1) + '%)' : '')];
      cells.forEach(function (text, i) {
        var cell = row.insertCell();
        cell.textContent = text;
        if (i > 0) cell.className = 'number' + (i === 3 && difference !== 0 ? (difference > 0 ? ' up' : ' down') : '');
      });
    });
  }

  // ------------------------------------------------------------------------------------------------ charts
  function drawCharts(base, whatIf) {
    var box = $('charts');
    box.textContent = '';
    var pending = [];
    base.charts.forEach(function (chart) {
      var other = whatIf.charts.filter(function (item) { return item.id === chart.id; })[0];
      var pair = document.createElement('section');
      pair.className = 'pair';
      var title = document.createElement('h3');
      title.textContent = chart.spec.title || chart.id;
      pair.appendChild(title);
      box.appendChild(pair);
      [['baseline', chart], ['what-if', other]].forEach(function (side) {
        var holder = document.createElement('div');
        holder.className = 'chart';
        holder.id = chart.id + '-' + side[0];
        holder.setAttribute('data-side', side[0]);
        var caption = document.createElement('div');
        caption.className = 'caption';
        caption.textContent = side[0];
        var target = document.createElement('div');
        holder.appendChild(caption); holder.appendChild(target);
        pair.appendChild(holder);
        if (!side[1]) { target.textContent = 'not drawn in this run'; return; }
        var spec = JSON.parse(JSON.stringify(side[1].spec));
        spec.width = 380;
        delete spec.title;
        pending.push(vegaEmbed(target, spec, { renderer: 'svg', actions: false, mode: 'vega-lite' }));
      });
    });
    return Promise.all(pending);
  }

  // ------------------------------------------------------------------------------------------------ runs
  function schedule() {
    if (busy) { again = true; return; }
    update();
  }
  function update() {
    busy = true; again = false;
    var key = String(days);
    var set = JSON.parse(JSON.stringify(settings));
    var started = performance.now();
    setState('running', 'running the world…');
    $('problems').textContent = '';
    var baseline = baselines[key] ? Promise.resolve(baselines[key])
      : post('/api/run', body({})).then(function (response) { return response.json(); })
          .then(function (answer) { baselines[key] = answer; return answer; });
    baseline.then(function (base) {
      var whatIf = Object.keys(set).length === 0 ? Promise.resolve(base)
        : post('/api/run', body(set)).then(function (response) { return response.json(); });
      return whatIf.then(function (answer) {
        drawFigures(base, answer);
        return drawCharts(base, answer).then(function () {
          runs += 1;
          document.body.setAttribute('data-runs', String(runs));
          var seconds = (performance.now() - started) / 1000;
          setState('ready', 'drawn in ' + seconds.toFixed(2) + ' s (run ' + answer.seconds.toFixed(2) + ' s, ' +
                   answer.days + ' days from ' + answer.start + ')');
        });
      });
    }).catch(function (error) {
      setState('error', error.message, true);
      $('problems').textContent = (error.problems || []).map(function (p) { return p.text; }).join('\n');
    }).then(function () {
      busy = false;
      if (again) update();
    });
  }

  function download() {
    post('/api/scenario', body(settings)).then(function (response) { return response.blob(); }).then(function (blob) {
      var link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = 'what-if.toml';
      document.body.appendChild(link);
      link.click();
      link.remove();
    }).catch(function (error) { setState('error', error.message, true); });
  }

  fetch('/api/levers').then(function (response) { return response.json(); }).then(function (answer) {
    info = answer;
    readAddress();
    $('scenario').textContent = info.scenario;
    $('days').max = info.max_days;
    $('days').value = days !== null ? days : info.days;
    $('days').addEventListener('change', function () {
      var value = Math.round(Number($('days').value));
      days = value === info.days ? null : value;
      writeAddress();
      schedule();
    });
    $('reset').addEventListener('click', function () { settings = {}; writeAddress(); buildLevers(); schedule(); });
    $('download').addEventListener('click', download);
    buildLevers();
    update();
  }).catch(function (error) { setState('error', 'cannot read the levers: ' + error.message, true); });
})();
