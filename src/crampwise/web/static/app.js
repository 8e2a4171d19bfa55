// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the main heading after a form step so keyboard and screen-reader users land on the news.
  document.addEventListener("DOMContentLoaded", function () {
    if (document.referrer && document.referrer.indexOf(location.host) !== -1) {
      var target = document.querySelector("[role=alert]") || document.querySelector("main h1");
      if (target && location.hash === "") {
        if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
        target.focus({ preventScroll: false });
      }
    }
    // Diary times are sent in UTC; show them in this device's time zone.
    var times = document.querySelectorAll("time[datetime]");
    for (var i = 0; i < times.length; i++) {
      var when = new Date(times[i].getAttribute("datetime"));
      if (!isNaN(when.getTime())) {
        times[i].textContent = when.toLocaleString(undefined, {
          day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit"
        });
      }
    }
    // A radio choice in the interview submits at once: one tap per question.
    var question = document.querySelector(".question form");
    if (question) {
      question.addEventListener("change", function (event) {
        if (event.target && event.target.name === "choice") {
          var next = question.querySelector("button[value=answer]");
          if (next) next.focus();
        }
      });
    }
  });
})();
