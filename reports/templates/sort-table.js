// Sorts a report table by the clicked column (numbers by value, missing values last); no libraries.
for (const table of document.querySelectorAll("table.sortable")) {
  const heads = [...table.tHead.rows[0].cells];
  heads.forEach((th, col) => {
    th.querySelector("button").addEventListener("click", () => {
      const dir = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
      heads.forEach((h) => h.setAttribute("aria-sort", "none"));
      th.setAttribute("aria-sort", dir);
      const sign = dir === "ascending" ? 1 : -1;
      const body = table.tBodies[0];
      const key = (row) => row.cells[col].dataset.sort ?? "";
      const rows = [...body.rows].sort((a, b) => {
        const x = key(a);
        const y = key(b);
        if (x === "" || y === "") return x === y ? 0 : x === "" ? 1 : -1;
        const nx = Number(x);
        const ny = Number(y);
        const c = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
        return c * sign;
      });
      for (const r of rows) body.appendChild(r);
    });
  });
}
