/*
 * The /embed snippet builder: every change of the form asks /embed.json (which writes the
 * snippet, so it is written in one place) and shows the new snippet and a live preview;
 * "Copy" puts the snippet on the clipboard. Without this script the form still works: it
 * reloads /embed with the choices. No eval, no inline style, no innerHTML (our CSP).
 */
(function () {
  "use strict";

  var form = document.querySelector("form.embed-builder");
  var code = document.getElementById("snippet-code");
  var copy = document.getElementById("snippet-copy");
  var status = document.getElementById("snippet-status");
  var preview = document.getElementById("embed-preview");
  if (!form || !code || !preview) return;

  var asked = 0;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (value) params.append(name, value);
    });
    return params.toString();
  }

  function showPreview(data) {
    preview.textContent = "";
    if (data.options.variant === "iframe") {
      var frame = document.createElement("iframe");
      frame.className = "embed-frame";
      frame.src = data.preview.frame;
      frame.title = preview.getAttribute("data-frame-title") || "reslib";
      preview.appendChild(frame);
      return;
    }
    var box = document.createElement("div");
    box.id = "reslib-demo";
    box.className = "embed-demo";
    preview.appendChild(box);
    // A new script element each time: widget.js starts once per element.
    var script = document.createElement("script");
    script.src = "/static/widget.js";
    script.async = true;
    script.setAttribute("data-target", "#reslib-demo");
    Object.keys(data.preview.data).forEach(function (name) {
      script.setAttribute("data-" + name, data.preview.data[name]);
    });
    preview.appendChild(script);
  }

  function update() {
    var mine = ++asked;
    var qs = query();
    fetch("/embed.json?" + qs, { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (mine !== asked) return; // a later change already asked again
        code.textContent = data.snippet;
        document.querySelectorAll(".variant-note").forEach(function (note) {
          note.hidden = note.getAttribute("data-variant") !== data.options.variant;
        });
        showPreview(data);
        status.textContent = "";
        if (window.history && history.replaceState) {
          history.replaceState(null, "", "/embed" + (qs ? "?" + qs : ""));
        }
      })
      .catch(function () { /* the snippet shown stays that of the form's last load */ });
  }

  function copied(ok) {
    status.textContent = copy.getAttribute(ok ? "data-copied" : "data-failed");
  }

  function copyByHand() {
    // Older browsers: select the snippet and ask the document to copy it.
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    copied(ok);
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    update();
  });
  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code.textContent).then(
          function () { copied(true); },
          copyByHand
        );
      } else {
        copyByHand();
      }
    });
  }
})();
