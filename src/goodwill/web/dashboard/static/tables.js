// The dashboard's tables and loading state (an external file: the CSP allows no inline
// script). Without JavaScript every table is still complete and every page still works.
//
// * Tables: without JavaScript each heading is a link that sorts every row of the table on
//   the server (?t=<table>&sort=<column>&desc=1), a search form narrows every row (&q=) and
//   "Next rows" pages through a long one. A complete table (every row on the page,
//   data-complete="1") is enhanced here: the search box narrows as you type, a click on a
//   heading sorts in place (ascending, again: descending; numbers as numbers). Every table
//   is shown in pages of PAGE_SIZE rows with Previous / Next. A table cut at the display
//   limit keeps the server's links and form (they see every row; this page holds a part).
// * Loading: following a link to another dashboard page or applying the filters shows
//   "Computing the page..." until the next page arrives (pages compute on the server).
(function () {
  "use strict";
  var PAGE_SIZE = 25;

  function cellValue(row, index) {
    var cell = row.cells[index];
    if (!cell) {
      return "";
    }
    var raw = cell.getAttribute("data-v");
    return raw === null ? cell.textContent.trim() : raw;
  }

  function compare(a, b) {
    var x = parseFloat(a);
    var y = parseFloat(b);
    var numeric = a !== "" && b !== "" && !isNaN(x) && !isNaN(y) && isFinite(a) && isFinite(b);
    if (numeric) {
      return x - y;
    }
    if (a === "" || b === "") {
      return a === "" ? (b === "" ? 0 : 1) : -1;
    }
    return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
  }

  function enhance(box) {
    var table = box.querySelector("table.data");
    if (!table || !table.tBodies.length) {
      return;
    }
    var body = table.tBodies[0];
    var rows = Array.prototype.filter.call(body.rows, function (r) {
      return !r.classList.contains("empty");
    });
    if (rows.length < 2) {
      return;
    }
    var complete = box.getAttribute("data-complete") === "1";
    var state = { page: 0, query: "", matching: rows };
    var tools = box.querySelector(".table-tools") || box;
    var input = document.createElement("input");
    if (complete) {
      var server = box.querySelector("form.table-search");
      if (server && !server.hasAttribute("data-active")) {
        server.hidden = true;
      }
      var label = document.createElement("label");
      label.className = "search";
      label.textContent = "Search ";
      input.type = "search";
      input.setAttribute("aria-controls", table.id);
      label.appendChild(input);
      tools.appendChild(label);
    }
    var pager = document.createElement("div");
    pager.className = "pager";
    var prev = document.createElement("button");
    prev.type = "button";
    prev.textContent = "Previous";
    var next = document.createElement("button");
    next.type = "button";
    next.textContent = "Next";
    var info = document.createElement("span");
    info.className = "pager-info";
    info.setAttribute("aria-live", "polite");
    pager.appendChild(prev);
    pager.appendChild(info);
    pager.appendChild(next);
    box.appendChild(pager);

    function show() {
      var pages = Math.max(1, Math.ceil(state.matching.length / PAGE_SIZE));
      state.page = Math.min(state.page, pages - 1);
      var first = state.page * PAGE_SIZE;
      var visible = {};
      state.matching.slice(first, first + PAGE_SIZE).forEach(function (r) {
        visible[r.rowIndex] = true;
      });
      rows.forEach(function (r) {
        r.hidden = !visible[r.rowIndex];
      });
      var n = state.matching.length;
      info.textContent = n
        ? "rows " + (first + 1) + "–" + Math.min(first + PAGE_SIZE, n) + " of " + n +
          (n < rows.length ? " matching (" + rows.length + " in all)" : "") +
          (complete ? "" : " on this page (" + box.getAttribute("data-total") + " in all)")
        : "no row matches";
      prev.disabled = state.page === 0;
      next.disabled = state.page >= pages - 1;
      pager.hidden = rows.length <= PAGE_SIZE && !state.query;
    }

    function filter() {
      var words = state.query.toLowerCase().split(/\s+/).filter(Boolean);
      state.matching = rows.filter(function (r) {
        var text = r.textContent.toLowerCase();
        return words.every(function (w) {
          return text.indexOf(w) >= 0;
        });
      });
    }

    input.addEventListener("input", function () {
      state.query = input.value;
      state.page = 0;
      filter();
      show();
    });
    prev.addEventListener("click", function () {
      state.page -= 1;
      show();
    });
    next.addEventListener("click", function () {
      state.page += 1;
      show();
    });

    var heads = table.tHead && complete ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      var link = th.querySelector("a.sort-link");
      var from = link || th;
      while (from.firstChild) {
        button.appendChild(from.firstChild);
      }
      if (link) {
        th.removeChild(link);
      }
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var order = compare(cellValue(a, index), cellValue(b, index));
          return ascending ? order : -order;
        });
        rows.forEach(function (r) {
          body.appendChild(r);
        });
        filter();
        state.page = 0;
        show();
      });
    });
    // a link to a row (/definitions#visits) opens the page of rows that holds it
    function reveal() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      var at = id ? state.matching.map(function (r) { return r.id; }).indexOf(id) : -1;
      if (at < 0) {
        return;
      }
      state.page = Math.floor(at / PAGE_SIZE);
      show();
      state.matching[at].scrollIntoView();
    }

    show();
    reveal();
    window.addEventListener("hashchange", reveal);
  }

  function loading() {
    var note = document.getElementById("loading");
    if (note) {
      note.hidden = false;
    }
    document.body.classList.add("busy");
  }

  function done() {
    var note = document.getElementById("loading");
    if (note) {
      note.hidden = true;
    }
    document.body.classList.remove("busy");
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".table-box"), enhance);
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[href]") : null;
      if (!link || event.defaultPrevented || event.button !== 0) {
        return;
      }
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
        return;
      }
      if (link.hasAttribute("download") || link.target === "_blank") {
        return;
      }
      var url = new URL(link.href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname.indexOf("/api/") === 0) {
        return;
      }
      if (url.pathname === window.location.pathname && url.search === window.location.search) {
        return; // an anchor on this page
      }
      loading();
    });
    Array.prototype.forEach.call(document.querySelectorAll("form.filters"), function (form) {
      form.addEventListener("submit", loading);
    });
  });
  window.addEventListener("pageshow", done);
})();
