// The book read from disk (file://): the browser refuses the fetch() calls with
// which Sphinx's search shows a summary under each result, so show titles only.
// (DOCUMENTATION_OPTIONS is a top-level const, not a property of window.)
if (window.location.protocol === "file:" &&
    typeof DOCUMENTATION_OPTIONS !== "undefined") {
  DOCUMENTATION_OPTIONS.SHOW_SEARCH_SUMMARY = false;
}
