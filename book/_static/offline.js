// The book read from disk (file://): the browser refuses the fetch() calls with
// which Sphinx's search shows a summary under each result, so show titles only.
// (DOCUMENTATION_OPTIONS is a top-level const, not a property of window.)
if (window.location.protocol === "file:" &&
    typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}

// Read from disk, the live notebook cannot start (it needs HTTP): say so in
// place of the "Run live" button (book/_ext/runlive.py).
if (window.location.protocol === "file:") {
  document.addEventListener("DOMContentLoaded", () => {
    for (const box of document.querySelectorAll('.runlive[data-runlive="ready"]')) {
      box.dataset.runlive = "file";
      const note = document.createElement("p");
      note.className = "runlive-note";
      note.textContent = "This copy is opened from disk, so the live notebook "
        + "cannot start: serve the book with 'make serve' and open it at "
        + "http://127.0.0.1:8000 to run this chapter in the browser.";
      box.prepend(note);
    }
  });
}
