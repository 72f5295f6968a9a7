// Displayed maths wider than its column scrolls sideways in its own box; tabindex="0" lets a
// keyboard reach and scroll it (axe-core: scrollable-region-focusable). MathJax's context menu
// used to set it on every formula; the book loads MathJax without the menu (_config.yml).
window.addEventListener("load", () => {
  const typeset = window.MathJax && MathJax.startup && MathJax.startup.promise;
  if (!typeset) return;
  typeset.then(() => {
    for (const box of document.querySelectorAll('mjx-container[display="true"]')) box.tabIndex = 0;
  });
});
