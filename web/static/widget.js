/*
 * reslib partner search box.
 *
 *   <div id="reslib-search"></div>
 *   <script src="https://RESLIB/static/widget.js" data-target="#reslib-search"
 *           data-ui="my" data-lang="my" data-org="Progressive Voice" async></script>
 *
 * Renders a search form and its results inline on any page, calling RESLIB/api/search (open to
 * every origin). Options are data- attributes on the script tag: target (CSS selector; default a
 * new element after the script), ui (en|my: the labels), lang, org, type, year, place (scope;
 * several values separated by ";"), limit, css ("none": no default stylesheet).
 *
 * Works under a strict Content-Security-Policy: no eval, no inline style, no innerHTML; the
 * snippet's <mark> is rebuilt from text, so nothing from the server is ever parsed as HTML.
 * Links open in a new tab (the partner's page stays), as the iframe variant's do; a result's
 * other-language versions are listed under it; counts and dates use Burmese digits when the
 * labels are Burmese, and English counts say "1 result".
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    // Old browsers: the last widget script not yet started.
    var all = document.querySelectorAll("script[src*='widget.js']:not([data-reslib-started])");
    script = all[all.length - 1];
  }
  if (!script || script.hasAttribute("data-reslib-started")) return;
  script.setAttribute("data-reslib-started", "");

  var base = new URL("../", script.src).href;
  var opts = script.dataset;
  var ui = opts.ui === "my" ? "my" : "en";
  var scopeNames = ["lang", "org", "type", "year", "place"];
  var limit = Math.max(1, Math.min(100, parseInt(opts.limit || "10", 10) || 10));
  var uid = "reslib-w-" + Math.random().toString(36).slice(2, 8);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text != null) node.textContent = text;
    return node;
  }

  function textLang(text) {
    var my = (text.match(/[\u1000-\u109f]/g) || []).length;
    var latin = (text.match(/[A-Za-z]/g) || []).length;
    return my && my >= latin ? "my" : "en";
  }

  var ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };
  function decode(text) {
    return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, function (all, name) {
      if (name[0] === "#") {
        var code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
      }
      return Object.prototype.hasOwnProperty.call(ENTITIES, name.toLowerCase()) ? ENTITIES[name.toLowerCase()] : all;
    });
  }

  function snippetNode(snippet) {
    var p = el("p", "reslib-w-snippet");
    var inMark = false;
    snippet.split(/(<\/?mark>)/).forEach(function (part) {
      if (part === "<mark>") { inMark = true; return; }
      if (part === "</mark>") { inMark = false; return; }
      if (!part) return;
      var text = decode(part);
      p.appendChild(inMark ? el("mark", null, text) : document.createTextNode(text));
    });
    p.lang = textLang(p.textContent);
    p.dir = "auto";
    return p;
  }

  var BURMESE_DIGITS = "၀၁၂၃၄၅၆၇၈၉";
  function digits(text) {
    text = String(text);
    if (ui !== "my") return text;
    return text.replace(/[0-9]/g, function (d) { return BURMESE_DIGITS[+d]; });
  }

  function count(strings, n) {
    // "key_one" is the singular where the language has one (English); Burmese has none.
    var template = (n === 1 && strings["widget.count_one"]) || strings["widget.count"];
    return template.replace("{n}", digits(n));
  }

  function newTabLink(cls, text, href) {
    var a = el("a", cls, text);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener";
    a.lang = textLang(text);
    // Isolated: a bidi control in a title (U+202E) must not reorder the partner's page.
    a.dir = "auto";
    // Screen readers hear that the link opens a new tab (one hidden note, shared).
    a.setAttribute("aria-describedby", uid + "-newtab");
    return a;
  }

  function mount() {
    var host = opts.target ? document.querySelector(opts.target) : null;
    if (!host) {
      host = el("div");
      script.parentNode.insertBefore(host, script.nextSibling);
    }
    return host;
  }

  function addStylesheet() {
    if (opts.css === "none") return;
    var href = base + "static/widget.css";
    if (document.querySelector("link[data-reslib-css]")) return;
    var link = el("link");
    link.rel = "stylesheet";
    link.href = href;
    link.setAttribute("data-reslib-css", "");
    document.head.appendChild(link);
  }

  function render(host, pack) {
    var s = pack.strings;
    var root = el("div", "reslib-w");
    root.lang = ui;
    var form = el("form", "reslib-w-form");
    form.setAttribute("role", "search");
    form.action = base;
    form.method = "get";
    var label = el("label", "reslib-w-label", s["widget.label"]);
    label.htmlFor = uid + "-q";
    var row = el("div", "reslib-w-row");
    var input = el("input", "reslib-w-input");
    input.type = "search";
    input.name = "q";
    input.id = uid + "-q";
    input.placeholder = s["widget.placeholder"];
    input.autocomplete = "off";
    var button = el("button", "reslib-w-button", s["widget.button"]);
    button.type = "submit";
    row.appendChild(input);
    row.appendChild(button);
    form.appendChild(label);
    form.appendChild(row);
    var status = el("p", "reslib-w-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    var list = el("ol", "reslib-w-results");
    var more = el("button", "reslib-w-more", s["widget.more"]);
    more.type = "button";
    more.hidden = true;
    var powered = el("p", "reslib-w-powered");
    powered.appendChild(newTabLink(null, s["widget.powered"], base));
    var hint = el("span", "reslib-w-hint", s["widget.new_tab"]);
    hint.id = uid + "-newtab";
    powered.appendChild(hint);
    [form, status, list, more, powered].forEach(function (n) { root.appendChild(n); });
    host.appendChild(root);

    var state = { q: "", page: 1 };

    function params() {
      var search = new URLSearchParams();
      search.set("q", state.q);
      search.set("page", String(state.page));
      search.set("limit", String(limit));
      scopeNames.forEach(function (name) {
        (opts[name] || "").split(";").forEach(function (value) {
          value = value.trim();
          if (value) search.append(name, value);
        });
      });
      return search;
    }

    function resultNode(r) {
      var li = el("li", "reslib-w-result");
      var item = base + "items/" + encodeURIComponent(r.id);
      li.appendChild(newTabLink("reslib-w-title", r.title, item));
      var parts = [pack.types[r.type] || r.type];
      if (r.date) parts.push(digits(r.date));
      var meta = parts.concat(r.organizations || []).join(" · ");
      var m = el("div", "reslib-w-meta", meta);
      m.dir = "auto";
      li.appendChild(m);
      if (r.snippet) li.appendChild(snippetNode(r.snippet));
      if (r.translations && r.translations.length) {
        var other = el("p", "reslib-w-translations", s["widget.also_in"] + " ");
        r.translations.forEach(function (t, i) {
          if (i) other.appendChild(document.createTextNode("; "));
          var link = newTabLink(
            "reslib-w-translation", t.title, base + "items/" + encodeURIComponent(t.id)
          );
          link.hreflang = t.language;
          other.appendChild(link);
        });
        li.appendChild(other);
      }
      return li;
    }

    function run(append) {
      status.textContent = s["widget.loading"];
      root.setAttribute("aria-busy", "true");
      fetch(base + "api/search?" + params().toString(), { credentials: "omit" })
        .then(function (response) {
          return response.json().then(function (body) {
            if (!response.ok) throw new Error(body.message || String(response.status));
            return body;
          });
        })
        .then(function (data) {
          if (!append) list.textContent = "";
          var first = null;
          data.results.forEach(function (r) {
            var node = resultNode(r);
            first = first || node;
            list.appendChild(node);
          });
          status.textContent = data.total ? count(s, data.total) : s["widget.none"];
          more.hidden = data.page * data.limit >= data.total;
          // After "more", keyboard users continue from the first new result.
          if (append && first) first.querySelector("a").focus();
        })
        .catch(function (err) {
          status.textContent = s["widget.error"] + (err && err.message ? " (" + err.message + ")" : "");
          more.hidden = true;
        })
        .then(function () { root.removeAttribute("aria-busy"); });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.q = input.value.trim();
      state.page = 1;
      if (!state.q) {
        list.textContent = "";
        status.textContent = "";
        more.hidden = true;
        return;
      }
      run(false);
    });
    more.addEventListener("click", function () {
      state.page += 1;
      run(true);
    });
  }

  function fallback(host) {
    // Without the API, still offer the way to the search site itself.
    var a = el("a", "reslib-w-fallback", "reslib");
    a.href = base;
    host.appendChild(a);
  }

  function start() {
    var host = mount();
    addStylesheet();
    fetch(base + "api/i18n/" + ui, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (pack) { render(host, pack); })
      .catch(function () { fallback(host); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
