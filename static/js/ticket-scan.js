/* The trainer's ticket scanner: the phone's back camera, frames decoded with the vendored
   jsQR, each new ticket sent to the server, its answer shown green or red. The same ticket
   held in view is sent once. Without this script (or a camera) the form below posts the
   typed code and the page comes back with the answer. */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  var form = document.getElementById("ticket-form");
  var result = document.getElementById("scan-result");
  if (!root || !form || !window.fetch || !window.FormData) {
    return;
  }
  var text = root.dataset;
  var SAME_TICKET_MS = 4000; // the same code seen again within this is not sent again
  var FRAME_MS = 150; // time between decoded frames: spares a cheap phone's battery
  var MAX_WIDTH = 480; // frames are scaled down to this before decoding
  var lastCode = "";
  var lastSeen = 0;
  var busy = false;

  function show(kind, message) {
    result.className = "alert fs-5 fw-semibold mt-2 alert-" + kind;
    result.textContent = message;
  }

  function addToCount() {
    var count = document.querySelector("#checkin-count b");
    if (count) {
      count.textContent = String(Number(count.textContent) + 1);
    }
  }

  function check(code) {
    busy = true;
    show("secondary", text.checking);
    var data = new FormData(form);
    data.set("code", code);
    return fetch(form.action, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        show(answer.ok ? (answer.recorded ? "success" : "info") : "danger", answer.message);
        if (answer.ok && answer.recorded) {
          addToCount();
        }
      })
      .catch(function () {
        show("danger", text.failed);
      })
      .then(function () {
        busy = false;
      });
  }

  form.addEventListener("submit", function (event) {
    var field = form.querySelector('[name="code"]');
    var code = field.value.trim();
    event.preventDefault();
    if (code && !busy) {
      check(code).then(function () {
        field.value = "";
      });
    }
  });

  var media = navigator.mediaDevices;
  if (!media || !media.getUserMedia || typeof window.jsQR !== "function") {
    return;
  }
  var video = document.getElementById("scan-video");
  var start = document.getElementById("scan-start");
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  root.hidden = false;

  function decode() {
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth && !busy) {
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      var image = context.getImageData(0, 0, canvas.width, canvas.height);
      var found = window.jsQR(image.data, image.width, image.height, {
        inversionAttempts: "dontInvert",
      });
      if (found && found.data) {
        var now = Date.now();
        var repeat = found.data === lastCode && now - lastSeen < SAME_TICKET_MS;
        lastCode = found.data;
        lastSeen = now;
        if (!repeat) {
          check(found.data);
        }
      }
    }
    setTimeout(decode, FRAME_MS);
  }

  start.addEventListener("click", function () {
    media
      .getUserMedia({ video: { facingMode: { ideal: "environment" } }, audio: false })
      .then(function (stream) {
        video.srcObject = stream;
        return video.play();
      })
      .then(function () {
        start.hidden = true;
        decode();
      })
      .catch(function () {
        show("danger", text.noCamera);
      });
  });
})();
