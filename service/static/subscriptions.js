/* Subscriptions pages: prefill the time zone from the browser; pick "until a date" when a date is typed. No dependencies. */
(function () {
  "use strict";
  var zoneField = document.querySelector("input[data-timezones]");
  if (zoneField) {
    if (zoneField.hasAttribute("data-prefill-timezone") && zoneField.value === "UTC") {
      try {
        var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
        if (zone && zone !== "Etc/Unknown") { zoneField.value = zone; }
      } catch (e) { /* old browser: the server default (UTC) stays */ }
    }
    // Suggestions while typing; the list is cached, so pages after the first do not fetch it.
    var datalist = document.getElementById(zoneField.getAttribute("list"));
    if (datalist && window.fetch) {
      fetch(zoneField.getAttribute("data-timezones")).then(function (response) {
        return response.ok ? response.json() : [];
      }).then(function (zones) {
        var options = document.createDocumentFragment();
        for (var i = 0; i < zones.length; i++) {
          var option = document.createElement("option");
          option.value = zones[i];
          options.appendChild(option);
        }
        datalist.appendChild(options);
      }).catch(function () { /* no suggestions: typing still works */ });
    }
  }
  var until = document.getElementById("until");
  var dateChoice = document.getElementById("pause-date-choice");
  if (until && dateChoice) {
    until.addEventListener("input", function () { if (until.value) { dateChoice.checked = true; } });
  }
})();
