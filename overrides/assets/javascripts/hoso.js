/* hoso: what the theme leaves out for keyboard and screen-reader users (tests/test_browser.py
   checks it with axe-core): the search dialog gets a name, and a table, chart or diagram that
   scrolls sideways can be reached by keyboard and says what it is. Nothing is fetched. */
(function () {
  "use strict";
  var vi = document.documentElement.lang !== "en";
  var TABLE = vi ? "Bảng (cuộn ngang để xem hết)" : "Table (scrolls sideways)";

  function nameSearch() {
    var search = document.querySelector(".md-search[role=dialog]");
    var input = search && search.querySelector("input");
    if (search && !search.hasAttribute("aria-label")) {
      search.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || (vi ? "Tìm kiếm" : "Search"));
    }
  }

  function focusable(el) {
    return el.querySelector("a[href], button, input, [tabindex]:not([tabindex='-1'])") !== null;
  }

  function scrollers() {
    var boxes = document.querySelectorAll(".md-typeset__scrollwrap, .hoso-figure, figure.hoso-chart");
    Array.prototype.forEach.call(boxes, function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !focusable(el)) {
        el.tabIndex = 0;
        if (el.classList.contains("md-typeset__scrollwrap")) {
          el.setAttribute("role", "region");
          el.setAttribute("aria-label", TABLE);
        }
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }

  function run() {
    nameSearch();
    scrollers();
    document.documentElement.setAttribute("data-hoso-ready", "");
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);  // after the theme has wrapped the tables
  } else {
    document.addEventListener("DOMContentLoaded", run);
  }
  window.addEventListener("resize", scrollers);
})();
