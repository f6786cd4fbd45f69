// Hover on the dashboard's charts (an external file: the CSP allows no inline script).
// Every chart is inline SVG whose hover bands (<g class="hover"><rect><title>) already carry
// each period's or bar's values, which a browser shows as a tooltip without JavaScript; this
// shows the same words at once, beside the pointer, and draws a guide line on line charts.
(function () {
  "use strict";

  function attach(box) {
    var svg = box.querySelector("svg");
    if (!svg || !svg.querySelector(".hover rect")) {
      return;
    }
    var tip = document.createElement("div");
    tip.className = "chart-tip";
    tip.setAttribute("role", "status");
    tip.hidden = true;
    box.appendChild(tip);
    var guide = null;
    Array.prototype.forEach.call(svg.querySelectorAll(".hover rect"), function (band) {
      var title = band.querySelector("title");
      if (!title) {
        return;
      }
      var words = title.textContent;
      band.setAttribute("tabindex", "0");
      band.setAttribute("aria-label", words);
      function show(event) {
        tip.textContent = words;
        tip.hidden = false;
        var area = box.getBoundingClientRect();
        var at = band.getBoundingClientRect();
        var x = event && event.clientX ? event.clientX : at.left + at.width / 2;
        var y = event && event.clientY ? event.clientY : at.top;
        tip.style.left = Math.max(0, Math.min(x - area.left + 12, area.width - tip.offsetWidth)) + "px";
        tip.style.top = Math.max(0, y - area.top - tip.offsetHeight - 8) + "px";
        var cx = band.getAttribute("data-x");
        if (cx !== null) {
          if (!guide) {
            guide = document.createElementNS("http://www.w3.org/2000/svg", "line");
            guide.setAttribute("class", "guide");
            svg.insertBefore(guide, band.parentNode);
          }
          guide.setAttribute("x1", cx);
          guide.setAttribute("x2", cx);
          guide.setAttribute("y1", band.getAttribute("y"));
          guide.setAttribute("y2", String(Number(band.getAttribute("y")) + Number(band.getAttribute("height"))));
          guide.style.display = "";
        }
      }
      function hide() {
        tip.hidden = true;
        if (guide) {
          guide.style.display = "none";
        }
      }
      band.addEventListener("mousemove", show);
      band.addEventListener("focus", function () {
        show(null);
      });
      band.addEventListener("mouseleave", hide);
      band.addEventListener("blur", hide);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart-box"), attach);
  });
})();
