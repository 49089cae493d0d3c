/* Keyboard shortcuts of the review queue (results pages): a key clicks the element marked
   data-shortcut="<key>" (S shortlist, A advance, H hold, R reject, N next, Enter start);
   "/" focuses the note. Ignored while typing in a field or with a modifier key held. */
(function () {
  "use strict";
  function typing(target) {
    if (!target) return false;
    var tag = (target.tagName || "").toLowerCase();
    return tag === "input" || tag === "textarea" || tag === "select" || target.isContentEditable;
  }
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    if (event.key === "/") {
      var note = document.querySelector("#review-form textarea");
      if (note) { event.preventDefault(); note.focus(); }
      return;
    }
    var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (key === "Enter" && event.target !== document.body) return;  // Enter on a focused control keeps its meaning
    var target = document.querySelector('[data-shortcut="' + key + '"]');
    if (!target) return;
    event.preventDefault();
    target.click();
  });
})();
