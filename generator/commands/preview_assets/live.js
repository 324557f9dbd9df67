// Injected into pages by `minutes serve` only: reloads the page when a build changed it (or a
// style sheet or script), and shows the errors of a failed build over the page, until they are
// fixed. The pages of an edited record are announced first, the rest when the build is complete.
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
  events.addEventListener("hello", function () {
    if (overlay) { overlay.remove(); overlay = null; }
  });
  var here = window.location.pathname.replace(/index\.html$/, "");
  events.addEventListener("reload", function (message) {
    var data = JSON.parse(message.data);
    var changed = data.pages.some(function (page) {
      return page === here || /\.(css|js)$/.test(page);
    });
    if (data.complete && overlay) { overlay.remove(); overlay = null; }
    if (changed) { window.location.reload(); }
  });
  events.addEventListener("errors", function (message) {
    showErrors(JSON.parse(message.data).errors);
  });
})();
