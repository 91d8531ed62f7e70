/*
 * Cross-origin isolation fallback, step 1 of 2: for hosts that cannot send COOP/COEP headers
 * (GitHub Pages, plain file servers), register coi-sw.js, which adds them to every response of
 * this origin, and reload once so the page itself is served through it.
 *
 * Does nothing when the page is already isolated, outside a secure context (service workers need
 * HTTPS or localhost), where service workers are unavailable, or with ?coi-sw=off in the URL.
 * A session flag stops it from reloading more than once if isolation still fails; the app then
 * explains what is missing and runs on a plain buffer.
 */
(function () {
  'use strict';
  var FLAG = 'ipc-scope-coi-reloaded';
  if (window.crossOriginIsolated || !window.isSecureContext || !('serviceWorker' in navigator)) return;
  if (/[?&]coi-sw=off\b/.test(window.location.search)) return;
  var worker = new URL('coi-sw.js', document.baseURI);
  navigator.serviceWorker.register(worker.href).then(
    function (registration) {
      if (sessionStorage.getItem(FLAG) === '1') return;
      var reload = function () {
        sessionStorage.setItem(FLAG, '1');
        window.location.reload();
      };
      if (registration.active && navigator.serviceWorker.controller) {
        reload();
        return;
      }
      navigator.serviceWorker.addEventListener('controllerchange', reload, { once: true });
    },
    function (error) {
      console.warn('IPC Scope: the cross-origin isolation service worker could not be registered:', error);
    },
  );
})();
