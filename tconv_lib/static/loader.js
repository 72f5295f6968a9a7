(function (id, state) {
  // The book's copy of an explorer (tconv_lib.explorer.static_html): mount it from the book's classic-script bundle,
  // added to the page once however many explorers the page holds. Outside the book there is no bundle to load.
  var el = document.getElementById(id), root = document.documentElement.dataset.content_root;
  function go() { window.tconvExplorer.mountStatic(el, state); }
  function fail() { el.textContent = "The explorer runs in the course book and, after running this cell, in Jupyter."; }
  if (window.tconvExplorer) return go();
  if (root === undefined) return fail();
  var script = document.querySelector("script[data-tconv-explorer]");
  if (!script) {
    script = document.createElement("script");
    script.src = root + "_static/tconv-explorer.js";
    script.dataset.tconvExplorer = "";
    document.head.appendChild(script);
  }
  script.addEventListener("load", go);
  script.addEventListener("error", fail);
})
