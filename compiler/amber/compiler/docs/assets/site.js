// Search over field names on the overview page: filter the list as the reader types.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var list = document.getElementById("results");
  if (!input || !list) { return; }
  var items = Array.prototype.slice.call(list.querySelectorAll("li"));
  input.addEventListener("input", function () {
    var wanted = input.value.trim().toLowerCase();
    items.forEach(function (item) {
      item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) === -1;
    });
  });
})();
