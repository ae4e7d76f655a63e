// The plan editor: drag-and-drop and keyboard moves. Everything else is HTMX attributes.
(function () {
  "use strict";

  function body() { return document.getElementById("plan-body"); }

  function currentOrder() {
    return Array.from(body().querySelectorAll("ol.ed-rows")).map(function (list) {
      return {
        section: list.dataset.section,
        activities: Array.from(list.querySelectorAll(":scope > li[data-activity]")).map(function (li) {
          return li.dataset.activity;
        }),
      };
    });
  }

  function sendOrder() {
    htmx.ajax("POST", body().dataset.reorderUrl, {
      target: "#plan-body",
      values: { order: JSON.stringify(currentOrder()) },
    });
  }

  function makeSortable() {
    if (!window.Sortable || !body()) return;
    body().querySelectorAll("ol.ed-rows").forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "1";
      Sortable.create(list, { group: "activities", handle: ".handle", animation: 120, onEnd: sendOrder });
    });
  }

  document.addEventListener("keydown", function (event) {
    var row = event.target.closest && event.target.closest("li.ed-row[data-move-url]");
    if (!row || !event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
    event.preventDefault();
    var id = row.dataset.activity;
    htmx.ajax("POST", row.dataset.moveUrl, {
      target: "#plan-body",
      values: { direction: event.key === "ArrowUp" ? "up" : "down" },
    }).then(function () {
      var moved = document.getElementById("activity-" + id);
      if (moved) moved.focus();
    });
  });

  // A new activity opens straight in its form.
  document.body.addEventListener("vpr:edit", function (event) {
    var row = document.getElementById("activity-" + event.detail.id);
    var main = row && row.querySelector(".ed-main");
    if (main) htmx.trigger(main, "click");
  });

  // Sortable animates rows through element.style and leaves them with an empty style="" attribute;
  // HTMX's settle step copies the old rows' attributes onto the new ones with setAttribute, which
  // the Content-Security-Policy (style-src 'self') refuses. Drop those leftovers before a swap.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.closest || !target.closest("#plan-body")) return;
    target.querySelectorAll("[style]").forEach(function (el) { el.removeAttribute("style"); });
    target.removeAttribute("style");
  });

  document.addEventListener("DOMContentLoaded", makeSortable);
  document.body && document.body.addEventListener("htmx:afterSettle", makeSortable);
  document.addEventListener("htmx:afterSettle", makeSortable);
})();
