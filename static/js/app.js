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
})();
