/* Roll call: send each tap in the background and show what the server saved.
   Without this script every button is an ordinary form that posts and comes back. */
(function () {
  "use strict";
  var list = document.getElementById("roll-call");
  if (!list || !window.fetch || !window.FormData) {
    return;
  }
  var text = list.dataset;
  var latest = {};  // row id -> number of its newest request; older answers are ignored

  function setState(row, message, failed) {
    var state = row.querySelector(".roll-state");
    state.textContent = message;
    state.className = "roll-state small " + (failed ? "text-danger fw-semibold" : "text-muted");
  }

  function addToCount(status, change) {
    var count = document.querySelector('#roll-counts [data-count="' + status + '"] .roll-count');
    if (count) {
      count.textContent = String(Number(count.textContent) + change);
    }
  }

  function showSaved(row, saved) {
    var before = row.dataset.status;
    if (before !== saved.status) {
      addToCount(before, -1);
      addToCount(saved.status, 1);
      row.dataset.status = saved.status;
    }
    row.querySelectorAll(".roll-mark button").forEach(function (button) {
      var pressed = button.value === saved.status;
      button.classList.remove("btn-" + button.dataset.colour, "btn-outline-" + button.dataset.colour);
      button.classList.add((pressed ? "btn-" : "btn-outline-") + button.dataset.colour);
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
    var noteForm = row.querySelector(".roll-note");
    noteForm.querySelector('[name="status"]').value = saved.status;
    noteForm.querySelector('[name="note"]').value = saved.note;
    noteForm.querySelectorAll("input, button").forEach(function (field) {
      field.disabled = false;
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    var row = form.closest(".roll-row");
    if (!row) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.set(event.submitter.name, event.submitter.value);
    }
    var number = (latest[row.id] || 0) + 1;
    latest[row.id] = number;
    setState(row, text.saving, false);
    fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          return { ok: response.ok, body: body };
        });
      })
      .then(function (answer) {
        if (latest[row.id] !== number) {
          return;
        }
        if (answer.ok) {
          showSaved(row, answer.body);
          setState(row, text.saved, false);
        } else {
          setState(row, answer.body.error || text.failed, true);
        }
      })
      .catch(function () {
        if (latest[row.id] === number) {
          setState(row, text.failed, true);
        }
      });
  });
})();
