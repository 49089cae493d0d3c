// On the employer's careers page: fit each <iframe data-jobmojito-careers> to the height its
// candidate page reports. Messages are accepted only from the app that served this script (the
// origin of this script's own URL) and only from one of those frames.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) { return; }
  var appOrigin = new URL(script.src, window.location.href).origin;

  function frames() {
    return Array.prototype.slice.call(document.querySelectorAll("iframe[data-jobmojito-careers]"));
  }

  function hello(frame) {
    if (frame.contentWindow) {
      frame.contentWindow.postMessage({ type: "jobmojito-careers:hello" }, appOrigin);
    }
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== appOrigin) { return; }
    var data = event.data;
    if (!data || data.type !== "jobmojito-careers:height" || typeof data.height !== "number") { return; }
    frames().forEach(function (frame) {
      if (frame.contentWindow === event.source) {
        var h = Math.max(320, Math.min(Math.round(data.height), 20000));
        frame.style.height = h + "px";
        frame.setAttribute("data-height", String(h));
      }
    });
  });

  function start() {
    frames().forEach(function (frame) {
      frame.addEventListener("load", function () { hello(frame); });
      hello(frame);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
