// Starts Pagefind's search interface on the search page. Result links are made
// relative to where the site is published, so search works under any sub-path.
// Pagefind's search box has no visible label of its own: the page's label is
// shown and tied to the box once the interface has drawn it.
window.addEventListener("DOMContentLoaded", function () {
  new PagefindUI({
    element: "#search",
    baseUrl: new URL("../", window.location.href).pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false
  });
  var label = document.querySelector(".search-label");
  var attach = function () {
    var input = document.querySelector("#search .pagefind-ui__search-input");
    if (!input) {
      return false;
    }
    input.id = "search-input";
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
