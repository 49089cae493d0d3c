// Inside a candidate page: tell the employer's page (our parent frame) how tall we are, so its
// iframe fits the content. Only a parent whose origin is allowed to frame us (the server lists
// them in <html data-parent-origins>) is answered, and only after it said hello from that origin.
(function () {
  "use strict";
  if (window.parent === window) { return; }
  var allowed = (document.documentElement.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  var parentOrigin = null;
  var last = 0;

  function height() {
    var main = document.body;
    return Math.ceil(main.getBoundingClientRect().height + 32);
  }

  function send() {
    if (!parentOrigin) { return; }
    var h = height();
    if (h === last) { return; }
    last = h;
    window.parent.postMessage({ type: "jobmojito-careers:height", height: h }, parentOrigin);
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent) { return; }
    if (allowed.indexOf(event.origin) === -1) { return; }
    if (!event.data || event.data.type !== "jobmojito-careers:hello") { return; }
    parentOrigin = event.origin;
    last = 0;
    send();
  });

  if (window.ResizeObserver) {
    new ResizeObserver(send).observe(document.body);
  } else {
    window.addEventListener("resize", send);
  }
  document.addEventListener("htmx:afterSwap", send);
})();
