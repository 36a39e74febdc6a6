// The bulk-onboarding page: poll the check's or the import's progress; show the preview or the result
// once the background job is done with it.
(function () {
  var box = document.getElementById("import-progress");
  if (!box) return;
  var bar = document.getElementById("import-bar");
  var count = document.getElementById("import-count");
  var status = document.getElementById("import-status");
  function poll() {
    fetch(box.dataset.url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.max = state.total;
        bar.value = state.processed;
        bar.textContent = state.percent + "%";
        count.textContent = state.processed + " / " + state.total;
        status.textContent = state.status_label;
        document.getElementById("import-stalled").hidden = !state.stalled;
        if (!state.in_progress) { window.location.reload(); } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
