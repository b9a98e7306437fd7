/* The trainer's check-in screen: count down, then fetch the next code before the shown
   one stops working (a code stays good for one more period after it changes). Also
   refreshes now and then so the count of people here keeps up. Without this script a
   <meta refresh> in <noscript> reloads the page when the code changes. */
(function () {
  "use strict";
  var box = document.getElementById("checkin-code");
  if (!box || !window.fetch) {
    return;
  }
  var MAX_WAIT = 15; // seconds between refreshes of the count
  var RETRY = 5; // seconds before trying again after a failed fetch
  var timer = null;

  function schedule() {
    var screen = box.querySelector("[data-seconds-left]");
    var left = Number(screen && screen.dataset.secondsLeft) || 0;
    var countdown = box.querySelector(".checkin-countdown");
    var started = Date.now();
    var wait = left ? Math.min(left + 1, MAX_WAIT) : MAX_WAIT * 4;
    clearInterval(timer);
    timer = setInterval(function () {
      var elapsed = Math.floor((Date.now() - started) / 1000);
      if (countdown) {
        countdown.textContent = String(Math.max(0, left - elapsed));
      }
      if (elapsed >= wait) {
        clearInterval(timer);
        refresh();
      }
    }, 1000);
  }

  function refresh() {
    fetch(box.dataset.url, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (response.redirected) {
          // Logged out meanwhile: show the login page rather than put it in the box.
          window.location.reload();
          throw new Error("redirected");
        }
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.text();
      })
      .then(function (html) {
        box.innerHTML = html;
        schedule();
      })
      .catch(function () {
        setTimeout(refresh, RETRY * 1000);
      });
  }

  // Keep a phone's screen on while it shows the code, where the browser allows it.
  if (navigator.wakeLock && navigator.wakeLock.request) {
    navigator.wakeLock.request("screen").catch(function () {});
  }
  schedule();
})();
