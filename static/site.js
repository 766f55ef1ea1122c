/* On every page: "/" puts the cursor in the search box (unless the reader is typing elsewhere). */
document.addEventListener("keydown", function (event) {
  var target = event.target;
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
  var box = document.getElementById("q") || document.getElementById("site-q");
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});

/* The side-by-side view stays as the reader last set it, from page to page (the box works without
   JavaScript too; this only remembers it, where the browser lets the page keep a setting). */
(function () {
  var box = document.getElementById("parallel-toggle");
  if (!box) return;
  var key = "policysite.parallel";
  try {
    if (window.localStorage.getItem(key) === "1") box.checked = true;
  } catch (error) { return; }
  box.addEventListener("change", function () {
    try { window.localStorage.setItem(key, box.checked ? "1" : "0"); } catch (error) { /* not kept */ }
  });
})();

/* Printing: where the site's base URL is unknown, the printed page names its address, and each
   task of an agency's checklist its own, as this browser sees them: absolute. */
window.addEventListener("beforeprint", function () {
  var absolute = /^[a-z]+:/i;
  var here = document.querySelector(".print-url");
  if (here && !absolute.test(here.textContent)) here.textContent = window.location.href;
  var links = document.querySelectorAll("a[data-print-url]");
  for (var i = 0; i < links.length; i++) {
    if (!absolute.test(links[i].getAttribute("data-print-url"))) links[i].setAttribute("data-print-url", links[i].href);
  }
});
