// Small enhancements only: sortable tables, a row filter, and bringing a cited span into view.
(function () {
  function cellValue(row, index) {
    const cell = row.children[index];
    if (!cell) return "";
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim();
    const number = Number(raw.replace(/[,*!]/g, ""));
    return raw !== "" && !isNaN(number) ? number : raw.toLowerCase();
  }
  document.querySelectorAll("table.sortable th").forEach(function (th, index) {
    th.addEventListener("click", function () {
      const table = th.closest("table");
      const body = table.tBodies[0];
      const ascending = !th.classList.contains("sorted-asc");
      table.querySelectorAll("th").forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
      th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
      const rows = Array.from(body.rows);
      rows.sort(function (a, b) {
        const x = cellValue(a, index), y = cellValue(b, index);
        return (x > y ? 1 : x < y ? -1 : 0) * (ascending ? 1 : -1);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  document.querySelectorAll("input[data-filter]").forEach(function (input) {
    input.addEventListener("input", function () {
      const table = document.getElementById(input.dataset.filter);
      const needle = input.value.toLowerCase();
      Array.from(table.tBodies[0].rows).forEach(function (row) {
        row.hidden = needle !== "" && row.textContent.toLowerCase().indexOf(needle) < 0;
      });
    });
  });
  const cited = document.getElementById("cited");
  if (cited) cited.scrollIntoView({ block: "center" });
})();
// The partnership switcher applies as soon as a partnership is chosen (the Go button stays for no-script use).
(function () {
  const form = document.getElementById("partnership-switcher");
  if (!form) return;
  const select = form.querySelector("select");
  select.addEventListener("change", function () { form.submit(); });
})();
