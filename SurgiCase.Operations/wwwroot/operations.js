// The page's only script, progressive enhancement: without it the page still works (forms post, <noscript> refreshes).
// With it, the main region refreshes in place every few seconds, keeping the scroll position.
"use strict";
(() => {
  const main = document.getElementById("main");
  const seconds = Number(main && main.dataset.refreshSeconds);
  if (!main || !seconds) return;

  // The "done" notice belongs to the action that was just taken; later refreshes should not repeat it.
  const here = new URL(location.href);
  if (here.searchParams.has("done")) {
    here.searchParams.delete("done");
    here.searchParams.delete("job");
    history.replaceState(null, "", here.pathname + here.search + here.hash);
  }

  let submitting = false;
  let busy = false;
  document.addEventListener("submit", () => { submitting = true; });

  async function refresh() {
    if (busy || submitting || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(location.pathname + location.search, {
        credentials: "same-origin", redirect: "manual", cache: "no-store", headers: { "Accept": "text/html" },
      });
      // Signed out (or the session expired): a full load shows the sign-in page.
      if (response.type === "opaqueredirect" || response.status === 401) { location.reload(); return; }
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), "text/html").getElementById("main");
      if (fresh && !submitting) main.innerHTML = fresh.innerHTML;
    } catch {
      // Offline for a moment: keep showing the last view and try again next time.
    } finally {
      busy = false;
    }
  }

  setInterval(refresh, seconds * 1000);
})();
