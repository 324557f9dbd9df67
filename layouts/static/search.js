// Starts Pagefind's search interface on the search page. The index is built in
// parts, one bundle each (pagefind/<part>/): the first is opened and the others
// are merged into it, so a search gives one ranked list. Result links are made
// relative to where the site is published, so search works under any sub-path.
// Where the index was not built (a preview, or a build without it) the page
// says so, and points to the registers.
// Pagefind's search box has no visible label of its own: the page's label is
// shown and tied to the box once the interface has drawn it.
// A search can be linked to and bookmarked: the query is in the address
// (search/?q=..., which the home page's search box also opens), it runs when
// the page opens, and the address follows what is typed.
window.addEventListener("DOMContentLoaded", function () {
  var parts = (document.getElementById("search").dataset.indexes || "").split(" ").filter(Boolean);
  if (typeof PagefindUI === "undefined" || !parts.length) {
    document.querySelector(".search-missing").hidden = false;
    return;
  }
  var base = new URL("../", window.location.href).pathname;
  var bundle = function (part) {
    return base + "pagefind/" + part + "/";
  };
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: base,
    bundlePath: bundle(parts[0]),
    mergeIndex: parts.slice(1).map(function (part) {
      return {bundlePath: bundle(part)};
    }),
    showImages: false,
    showSubResults: true,
    resetStyles: false
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) {
    ui.triggerSearch(query);
  }
  var remember = function (event) {
    var params = new URLSearchParams(window.location.search);
    if (event.target.value) {
      params.set("q", event.target.value);
    } else {
      params.delete("q");
    }
    var search = params.toString();
    window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  };
  var label = document.querySelector(".search-label");
  var attach = function () {
    var input = document.querySelector("#search .pagefind-ui__search-input");
    if (!input) {
      return false;
    }
    input.id = "search-input";
    input.addEventListener("input", remember);
    label.hidden = false;
    return true;
  };
  if (!attach()) {
    new MutationObserver(function (changes, observer) {
      if (attach()) {
        observer.disconnect();
      }
    }).observe(document.getElementById("search"), {childList: true, subtree: true});
  }
});
