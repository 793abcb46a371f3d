// Embed the job comparison widget: <script src="https://HOST/static/embed.js" data-soc="2136,2231"></script>
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script.src.replace(/static\/embed\.js.*$/, "");
  var frame = document.createElement("iframe");
  var soc = script.getAttribute("data-soc");
  frame.src = base + "widget?embed=1" + (soc ? "&soc=" + encodeURIComponent(soc) : "");
  frame.title = "Compare jobs: pay, hours and employment outlook";
  frame.style.width = "100%";
  frame.style.border = "0";
  frame.style.minHeight = script.getAttribute("data-height") || "560px";
  script.parentNode.insertBefore(frame, script.nextSibling);
})();
