// Small behaviours every page may use, declared with data- attributes: the Content-Security-Policy
// allows no inline handlers (onchange=, onclick=).
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
  });

  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-select-on-click]")) el.select();
  });

  // <form data-confirm="Подписать приказ? Подпись нельзя отозвать."> asks before it is sent; on
  // «Отмена» nothing is sent (the capture phase runs before HTMX's own submit handler).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var text = form.getAttribute && form.getAttribute("data-confirm");
    if (text && !window.confirm(text)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // A form's submit buttons are disabled while it is being sent, so a slow answer cannot be sent
  // twice. Disabled after the submit event: a button disabled before it would drop its name=value.
  function submitButtons(form) {
    var inside = Array.prototype.slice.call(form.querySelectorAll("button:not([type=button]):not([type=reset]), input[type=submit]"));
    var outside = form.id ? Array.prototype.slice.call(document.querySelectorAll("[form='" + form.id + "']")) : [];
    return inside.concat(outside.filter(function (el) { return el.type === "submit"; }));
  }

  function setBusy(form, busy) {
    submitButtons(form).forEach(function (button) {
      if (busy && !button.disabled) {
        button.disabled = true;
        button.setAttribute("data-busy", "");
        button.setAttribute("aria-busy", "true");
      } else if (!busy && button.hasAttribute("data-busy")) {
        button.disabled = false;
        button.removeAttribute("data-busy");
        button.removeAttribute("aria-busy");
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    // HTMX sends its forms itself (it prevents the default): htmx:beforeRequest handles those.
    if (event.defaultPrevented || form.target === "_blank" || form.hasAttribute("data-no-busy")) return;
    window.setTimeout(function () { setBusy(form, true); }, 0);
  });

  function requestForm(event) {
    var elt = event.detail && event.detail.elt;
    if (!elt) return null;
    return elt.tagName === "FORM" ? elt : elt.form || (elt.closest && elt.closest("form"));
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = requestForm(event);
    if (form) setBusy(form, true);
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = requestForm(event);
    if (form) setBusy(form, false);
  });

  // Back to a page kept in the back/forward cache: its buttons are usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-busy]"), function (button) {
      button.disabled = false;
      button.removeAttribute("data-busy");
      button.removeAttribute("aria-busy");
    });
  });

  // On a phone list tables restack as cards (app.css): each cell is labelled with its column's
  // heading, taken from the table's last <thead> row, so that a card says which text is which.
  function labelTables(root) {
    var tables = (root.matches && root.matches("table") ? [root] : [])
      .concat(Array.prototype.slice.call((root.querySelectorAll && root.querySelectorAll("table.list, table.plan-table")) || []));
    if (root.closest && root.closest("table.list, table.plan-table")) tables.push(root.closest("table"));
    tables.forEach(function (table) {
      var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
      if (!head) return;
      var labels = [];
      Array.prototype.forEach.call(head.cells, function (cell) {
        for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(cell.textContent.replace(/\s+/g, " ").trim());
      });
      Array.prototype.forEach.call(table.tBodies, function (body) { labelRows(body.rows, labels); });
      if (table.tFoot) labelRows(table.tFoot.rows, labels);
    });
  }
  function labelRows(rows, labels) {
    Array.prototype.forEach.call(rows, function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.tagName === "TD" && !cell.hasAttribute("data-label") && labels[column]) {
          cell.setAttribute("data-label", labels[column]);
        }
        column += cell.colSpan || 1;
      });
    });
  }
  labelTables(document);
  document.addEventListener("htmx:afterSettle", function (event) { labelTables(event.target); });

  // A file input speaks Russian in every browser: «Выбрать файлы» and what is chosen, not the
  // browser's own «Choose Files / No file chosen» of an English Chromium. The input itself stays,
  // transparent over its new face: a click, a drop of files and the keyboard still reach it.
  function filesChosen(n) {
    var tens = n % 100, ones = n % 10;
    var word = tens > 10 && tens < 20 ? "файлов" : ones === 1 ? "файл" : ones > 1 && ones < 5 ? "файла" : "файлов";
    return "выбрано " + n + " " + word;
  }
  function showChosen(input, names) {
    var files = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
    names.textContent = !files.length ? "Файл не выбран" : files.length <= 3 ? files.join(", ") : filesChosen(files.length);
    names.classList.toggle("muted", !files.length);
  }
  function fileFaces(root) {
    var inputs = (root.matches && root.matches("input[type=file]") ? [root] : [])
      .concat(Array.prototype.slice.call((root.querySelectorAll && root.querySelectorAll("input[type=file]")) || []));
    inputs.forEach(function (input) {
      if (input.hasAttribute("data-file-face")) return;
      input.setAttribute("data-file-face", "");
      var face = document.createElement("span");
      face.className = "file-face";
      var button = document.createElement("span");
      button.className = "file-face-button";
      button.setAttribute("aria-hidden", "true");
      button.textContent = input.multiple ? "Выбрать файлы" : "Выбрать файл";
      var names = document.createElement("span");
      names.className = "file-face-names";
      names.setAttribute("aria-live", "polite");
      input.parentNode.insertBefore(face, input);
      face.appendChild(input);
      face.appendChild(button);
      face.appendChild(names);
      showChosen(input, names);
      input.addEventListener("change", function () { showChosen(input, names); });
      if (input.form) input.form.addEventListener("reset", function () { window.setTimeout(function () { showChosen(input, names); }, 0); });
    });
  }
  fileFaces(document);
  document.addEventListener("htmx:afterSettle", function (event) { fileFaces(event.target); });
})();
