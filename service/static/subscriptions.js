/* Subscriptions pages: prefill the time zone from the browser; pick "until a date" when a date is typed. No dependencies. */
(function () {
  "use strict";
  var select = document.querySelector("select[data-prefill-timezone]");
  if (select && select.value === "UTC") {
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      for (var i = 0; i < select.options.length; i++) {
        if (select.options[i].value === zone) { select.value = zone; break; }
      }
    } catch (e) { /* old browser: the server default (UTC) stays */ }
  }
  var until = document.getElementById("until");
  var dateChoice = document.getElementById("pause-date-choice");
  if (until && dateChoice) {
    until.addEventListener("input", function () { if (until.value) { dateChoice.checked = true; } });
  }
})();
