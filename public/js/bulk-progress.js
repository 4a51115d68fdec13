/*
 * Progress of a CSV run: asks the server every second and moves the bar. Progressive
 * enhancement only: without this script the page refreshes itself (meta refresh).
 */
(function () {
  'use strict';
  var section = document.querySelector('.bulk-progress');
  if (!section) return;
  var url = section.getAttribute('data-state-url');
  var bar = document.getElementById('bulk-bar');
  var count = document.getElementById('bulk-count');
  if (!url || !bar || !count) return;

  function poll() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (state) {
        if (!state) return setTimeout(poll, 3000);
        bar.value = state.percent;
        bar.textContent = state.percent + ' %';
        count.textContent = state.label;
        // Finished (or stopped): the page itself shows the summary.
        if (state.status !== 'running') return window.location.reload();
        setTimeout(poll, 1000);
      })
      .catch(function () {
        setTimeout(poll, 3000);
      });
  }
  setTimeout(poll, 1000);
})();
