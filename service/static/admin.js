/* Admin console behaviour. Everything works without it; it adds the live email preview
   in the challenge editor and confirmation prompts on destructive buttons. */
(function () {
  "use strict";

  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var form = document.getElementById("challenge-form");
  if (!form) return;
  var status = document.getElementById("preview-status");
  // Its sentences come from the page (data-say-*), which has them from the catalogue.
  function say(name) { return status.getAttribute("data-say-" + name); }
  var timer = null;
  var sequence = 0;

  function show(audience, email) {
    document.getElementById(audience + "-subject").textContent = email.subject;
    document.getElementById(audience + "-text").textContent = email.text;
    // srcdoc into a sandboxed iframe (no allow-scripts): the HTML is displayed, never run.
    document.getElementById(audience + "-html").srcdoc = email.html;
  }

  function refresh() {
    var mine = ++sequence;
    status.textContent = say("updating");
    status.classList.remove("error");
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    }).then(function (result) {
      if (mine !== sequence) return; // a newer request is on its way
      if (!result.ok || !result.body.emails) {
        var errors = result.body.errors || {};
        status.textContent = errors.theme_id || say("failed");
        status.classList.add("error");
        return;
      }
      show("learner", result.body.emails.learner);
      show("giver", result.body.emails.giver);
      var note = document.getElementById("preview-note");
      if (note) {
        note.textContent = result.body.note || "";
        note.hidden = !result.body.note;
      }
      status.setAttribute("data-language", result.body.language || "");
      var pending = Object.keys(result.body.errors || {}).length;
      status.textContent = pending ? say("updated-with-errors") : say("updated");
      status.setAttribute("data-updated", String(mine));
    }).catch(function () {
      if (mine !== sequence) return;
      status.textContent = say("unreachable");
      status.classList.add("error");
    });
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 350);
  }

  form.addEventListener("input", schedule);
  form.addEventListener("change", schedule);
  // The language switch sits beside the preview, outside the form (form="challenge-form").
  var language = document.getElementById("preview-language");
  if (language) language.addEventListener("change", refresh);

  document.querySelectorAll(".preview-tabs [role=tab]").forEach(function (tab) {
    tab.addEventListener("click", function () {
      document.querySelectorAll(".preview-tabs [role=tab]").forEach(function (other) {
        other.setAttribute("aria-selected", other === tab ? "true" : "false");
      });
      document.querySelectorAll(".preview-pane").forEach(function (pane) {
        pane.classList.toggle("shown", pane.id === "pane-" + tab.getAttribute("data-pane"));
      });
    });
  });
  var phone = document.getElementById("phone-width");
  if (phone) {
    phone.addEventListener("change", function () {
      document.getElementById("preview").classList.toggle("narrow-width", phone.checked);
    });
  }

  if (form.querySelector("[name=theme_id]").value) refresh();
})();
