// Starts Pagefind's search interface on the search page. Result links are made
// relative to where the site is published, so search works under any sub-path.
// Pagefind's search box has no visible label of its own: the page's label is
// shown and tied to the box once the interface has drawn it.
// A search can be linked to and bookmarked: the query is in the address
// (search/?q=..., which the home page's search box also opens), it runs when
// the page opens, and the address follows what is typed.
window.addEventListener("DOMContentLoaded", function () {
  var ui = new PagefindUI({
    element: "#search",
    baseUrl: new URL("../", window.location.href).pathname,
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
