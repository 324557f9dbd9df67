// Injected into pages by `minutes serve` only: reloads the page after each good build, and
// shows the errors of a failed build over the page, until they are fixed.
(function () {
  "use strict";
  var overlay = null;

  function showErrors(errors) {
    if (!overlay) {
      overlay = document.createElement("section");
      overlay.id = "minutes-preview-errors";
      overlay.setAttribute("role", "alert");
      overlay.setAttribute("aria-labelledby", "minutes-preview-errors-title");
      document.body.appendChild(overlay);
    }
    overlay.textContent = "";
    var title = document.createElement("h2");
    title.id = "minutes-preview-errors-title";
    title.textContent = "The site was not rebuilt: " + errors.length + (errors.length === 1 ? " error" : " errors");
    var note = document.createElement("p");
    note.textContent = "This page is the last good build. Fix the errors below and save; the page will update by itself.";
    var list = document.createElement("ol");
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var text = document.createElement("pre");
      text.textContent = error;
      item.appendChild(text);
      list.appendChild(item);
    });
    overlay.appendChild(title);
    overlay.appendChild(note);
    overlay.appendChild(list);
  }

  var events = new EventSource("/__minutes/events");
  var seen = null;
  events.addEventListener("hello", function (message) {
    seen = JSON.parse(message.data).generation;
    if (overlay) { overlay.remove(); overlay = null; }
  });
  events.addEventListener("reload", function (message) {
    var generation = JSON.parse(message.data).generation;
    if (generation !== seen) { window.location.reload(); }
  });
  events.addEventListener("errors", function (message) {
    showErrors(JSON.parse(message.data).errors);
  });
})();
