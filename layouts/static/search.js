// Starts Pagefind's search interface on the search page. Result links are made
// relative to where the site is published, so search works under any sub-path.
window.addEventListener("DOMContentLoaded", function () {
  new PagefindUI({
    element: "#search",
    baseUrl: new URL("../", window.location.href).pathname,
    showImages: false,
    showSubResults: true,
    resetStyles: false
  });
});
