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
