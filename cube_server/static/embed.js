// Embed the job comparison widget:
//   <script src="https://HOST/static/embed.js" data-soc="2136,2231" data-height="560px"></script>
// The iframe starts at data-height (default 560px) and then follows the widget's own height,
// which the widget posts to this page whenever it changes, so it never scrolls inside.
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/static\/embed\.js.*$/, "");
  var origin = new URL(base).origin;
  var frame = document.createElement("iframe");
  var soc = script.getAttribute("data-soc");
  frame.src = base + "widget?embed=1" + (soc ? "&soc=" + encodeURIComponent(soc) : "");
  frame.title = "Compare jobs: pay, hours and employment outlook";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.height = script.getAttribute("data-height") || "560px";
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || event.source !== frame.contentWindow) return;
    if (!data || data.type !== "lmi-cubes-widget-height" || !(data.height > 0)) return;
    frame.style.height = Math.ceil(data.height) + "px";
  });
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
