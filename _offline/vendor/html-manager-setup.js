// Written by tools/vendor_assets.py. Loaded after require.js, before embed-amd.js,
// on pages with widgets.
// embed-amd.js puts the URLs of its fonts (Font Awesome, for the Play button) next to
// the URL requirejs gives its modules, which is the *page's* folder unless mapped here
// to the folder that holds embed-amd.js and the fonts.
//
// The theme's Font Awesome script swaps <i class="fa ..."> for <svg> elements, also in
// widgets rendered later, which breaks the Play button (its view looks for the <i> on
// every change). It runs deferred, after this script; here it is told to convert only
// the icons in the page as written, not the ones that appear later.
window.FontAwesomeConfig = Object.assign(window.FontAwesomeConfig || {}, {observeMutations: false});
(function () {
  var folder = new URL("html-manager", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = folder + "/";
  require.config({paths: {"@jupyter-widgets": folder, "@jupyter-widgets/html-manager/dist": folder}});
})();
