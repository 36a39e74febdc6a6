// A page that follows a background job (a bulk import, opening a school): poll its state and reload the
// page once the job is done with it. The box names its JSON URL in data-progress-url; a <progress> bar
// and a count move when the state has a total, [data-progress-status] shows the state's label and
// [data-progress-stalled] appears when no worker has taken the job.
(function () {
  var box = document.querySelector("[data-progress-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var count = box.querySelector("[data-progress-count]");
  var status = box.querySelector("[data-progress-status]");
  var stalled = box.querySelector("[data-progress-stalled]");
  function poll() {
    fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (bar && state.total !== undefined) {
          bar.max = state.total;
          bar.value = state.processed;
          bar.textContent = state.percent + "%";
        }
        if (count && state.total !== undefined) count.textContent = state.processed + " / " + state.total;
        if (status) status.textContent = state.status_label;
        if (stalled) stalled.hidden = !state.stalled;
        if (!state.in_progress) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
