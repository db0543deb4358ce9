// The console's only script (served from /console/assets, CSP script-src 'self'). It refreshes
// the overview every 5 seconds from /console/api/overview: numbers go in with textContent; the
// tables come as HTML the server built with the same escaping views as the page itself.
(function () {
  'use strict';
  var box = document.getElementById('chart-box');
  if (!box) {
    return;
  }
  var PERIOD_MS = 5000;

  function utc(iso) {
    return iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
  }

  function setLive(name, value) {
    var el = document.querySelector('[data-live="' + name + '"]');
    if (el) {
      el.textContent = String(value);
    }
  }

  function setHtml(id, markup) {
    var el = document.getElementById(id);
    if (el && el.innerHTML !== markup) {
      el.innerHTML = markup;
    }
  }

  function apply(data) {
    var o = data.overview;
    var inForce = o.decisions
      .filter(function (d) {
        return d.status === 'active';
      })
      .reduce(function (sum, d) {
        return sum + d.count;
      }, 0);
    setLive('now', utc(o.now));
    setLive('lastMinute', o.eventsPerMinute.lastMinute);
    setLive('lastHour', o.eventsPerMinute.total);
    setLive('inForce', inForce);
    setLive('pending', o.pendingCount);
    setLive(
      'llm',
      o.llm.provider +
        (o.llm.model ? ' (' + o.llm.model + ')' : '') +
        ', breaker ' +
        o.llm.breaker +
        ', queue ' +
        o.llm.queueDepth +
        ', running ' +
        o.llm.inFlight,
    );
    setHtml('chart-box', data.fragments.chart);
    setHtml('tallies', data.fragments.tallies);
    setHtml('counters', data.fragments.counters);
    setHtml('latest-in-force', data.fragments.latestInForce);
    setHtml('latest-pending', data.fragments.latestPending);
    document.body.setAttribute('data-refreshed', o.now);
  }

  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch('/console/api/overview', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (res) {
        if (res.status === 401) {
          window.location.assign('/console/login');
          return null;
        }
        return res.ok ? res.json() : null;
      })
      .then(function (data) {
        if (data) {
          apply(data);
        }
      })
      .catch(function () {
        /* the next tick tries again */
      });
  }

  setInterval(refresh, PERIOD_MS);
  document.addEventListener('visibilitychange', refresh);
})();
