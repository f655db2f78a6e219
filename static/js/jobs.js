// A running job's page: ask for its state every second and move the bar; reload once it ends
// (the page without JavaScript refreshes itself with <meta http-equiv="refresh">).
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || box.dataset.active !== "1") return;
  var refresh = document.querySelector('meta[http-equiv="refresh"]');
  if (refresh) refresh.remove();
  var bar = box.querySelector(".progress-bar");
  var holder = box.querySelector(".progress");
  var status = box.querySelector('[data-testid="job-status"]');
  var message = box.querySelector('[data-testid="job-message"]');
  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        bar.style.width = state.progress + "%";
        bar.textContent = state.progress + "%";
        holder.setAttribute("aria-valuenow", state.progress);
        status.textContent = state.status_label;
        message.textContent = state.message;
        if (state.active) window.setTimeout(poll, 1000);
        else window.location.reload();
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
