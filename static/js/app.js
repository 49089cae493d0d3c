// The dashboard's few behaviours (no inline script: CSP). Everything works without JavaScript;
// this only adds the phone menu, copy-to-clipboard buttons and a CSRF header for htmx requests.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) { event.detail.headers["X-CSRFToken"] = token; }
  });

  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      if (nav) { nav.classList.toggle("open", open); }
      var header = toggle.closest(".site-header");
      if (header) { header.classList.toggle("menu-open", open); }
      return;
    }
    var copy = event.target.closest("[data-copy]");
    if (copy) {
      var source = document.getElementById(copy.getAttribute("data-copy"));
      if (!source) { return; }
      var text = source.value !== undefined ? source.value : source.textContent;
      var done = function () {
        var label = copy.textContent;
        copy.textContent = "Copied";
        copy.classList.add("copied");
        setTimeout(function () { copy.textContent = label; copy.classList.remove("copied"); }, 1500);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(done, function () { source.select && source.select(); });
      } else if (source.select) {
        source.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
      }
    }
  });
})();
