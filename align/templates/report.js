(function () {
  "use strict";
  // The report's rows: filters, search, n / p between findings, j / k between rows, the selected row and the
  // reviewer's accept / reject marks (kept in localStorage). editor.js and export.js use `window.alignReview`.
  var root = document.documentElement;
  root.classList.remove("nojs");
  root.classList.add("js");
  var config = JSON.parse(document.getElementById("align-data").textContent);
  var tables = Array.prototype.slice.call(document.querySelectorAll(".beads"));
  var beads, count, docOf, untr, low, hasF, shown, indexOf, rules;
  var texts = null, filter = "all", rule = "", query = "", current = -1, selected = null;

  function index() {
    beads = Array.prototype.slice.call(document.querySelectorAll(".bead"));
    count = beads.length;
    docOf = new Int32Array(count); untr = new Uint8Array(count); low = new Uint8Array(count);
    hasF = new Uint8Array(count); shown = new Uint8Array(count); indexOf = new Map();
    texts = null; rules = null;
    for (var t = 0, i = 0; t < tables.length; t++) {
      var n = tables[t].querySelectorAll(".bead").length;
      for (var d = 0; d < n; d++, i++) { docOf[i] = t; }
    }
    for (i = 0; i < count; i++) {
      var c = beads[i].classList;
      untr[i] = c.contains("untr") ? 1 : 0;
      low[i] = c.contains("lo") ? 1 : 0;
      hasF[i] = c.contains("has-f") && !c.contains("acc") ? 1 : 0;
      shown[i] = c.contains("off") ? 0 : 1;
      indexOf.set(beads[i].id, i);
    }
  }
  index();
  var shownLabel = document.getElementById("shown");
  var navLabel = document.getElementById("nav-status");
  var decidedLabel = document.getElementById("decided");
  var docLabels = Array.prototype.slice.call(document.querySelectorAll(".doc-shown"));
  var search = document.getElementById("search");

  function searchTexts() {
    if (!texts) {
      texts = new Array(count);
      for (var k = 0; k < count; k++) {
        var cells = beads[k].firstElementChild.querySelectorAll(".t"), parts = [];
        for (var m = 0; m < cells.length; m++) { parts.push(cells[m].textContent); }
        texts[k] = parts.join("\n").toLowerCase();
      }
    }
    return texts;
  }

  function rulesOf(k) {
    if (!rules) { rules = new Array(count); }
    if (rules[k] === undefined) {
      var codes = beads[k].querySelectorAll(".fnd code.rule"), list = [];
      for (var m = 0; m < codes.length; m++) { list.push(codes[m].textContent); }
      rules[k] = list;
    }
    return rules[k];
  }

  function keep(k) {
    if (filter === "untr" && !untr[k]) { return false; }
    if (filter === "lo" && !low[k]) { return false; }
    if (filter === "f" && !hasF[k]) { return false; }
    if (rule && rulesOf(k).indexOf(rule) === -1) { return false; }
    return !query || texts[k].indexOf(query) !== -1;
  }

  function apply() {
    if (query) { searchTexts(); }
    var perDoc = new Int32Array(tables.length), total = 0;
    for (var k = 0; k < count; k++) {
      var ok = keep(k) ? 1 : 0;
      if (ok !== shown[k]) { beads[k].classList.toggle("off", !ok); shown[k] = ok; }
      if (ok) { total++; perDoc[docOf[k]]++; }
    }
    shownLabel.textContent = "Showing " + total + " of " + count + " rows";
    for (var j = 0; j < docLabels.length; j++) {
      var all = tables[j].querySelectorAll(".bead").length;
      docLabels[j].textContent = perDoc[j] + " of " + all + " rows shown";
    }
  }

  function pressOnly(selector, button) {
    var all = document.querySelectorAll(selector);
    for (var k = 0; k < all.length; k++) { all[k].setAttribute("aria-pressed", String(all[k] === button)); }
  }
  function setFilter(button) {
    filter = button.getAttribute("data-filter");
    pressOnly("[data-filter]", button);
    apply();
  }
  function setRule(button) {
    rule = button.getAttribute("data-rule");
    pressOnly("button[data-rule]", button);
    var groups = document.querySelectorAll("details.fgroup");
    for (var k = 0; k < groups.length; k++) {
      groups[k].hidden = Boolean(rule) && groups[k].getAttribute("data-rule") !== rule;
    }
    apply();
  }

  var pending = 0;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { query = search.value.trim().toLowerCase(); apply(); }, 60);
  });

  function focusRow(body) {
    var row = body.firstElementChild;
    row.focus({preventScroll: true});
    row.scrollIntoView({block: "center"});
  }
  function startIndex() {
    var active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".bead") : null;
    if (active && indexOf.has(active.id)) { return indexOf.get(active.id); }
    return selected && indexOf.has(selected.id) ? indexOf.get(selected.id) : current;
  }
  function go(step) {
    var start = startIndex();
    if (start < 0 && step < 0) { start = count; }
    for (var n = 1; n <= count; n++) {
      var k = ((start + step * n) % count + count) % count;
      if (hasF[k] && shown[k]) {
        current = k;
        focusRow(beads[k]);
        var rank = 0, all = 0;
        for (var m = 0; m < count; m++) { if (hasF[m] && shown[m]) { all++; if (m <= k) { rank++; } } }
        navLabel.textContent = "Finding row " + rank + " of " + all;
        return;
      }
    }
    navLabel.textContent = "No findings among the rows shown";
  }
  function step(direction) {  // the next / previous row shown
    var k = startIndex();
    for (k += direction; k >= 0 && k < count; k += direction) {
      if (shown[k]) { focusRow(beads[k]); return; }
    }
  }
  function jump(id) {
    var body = document.getElementById(id);
    if (!body) { return; }
    if (body.classList.contains("off")) { setFilter(document.querySelector('[data-filter="all"]')); }
    if (body.classList.contains("off")) { setRule(document.querySelector('button[data-rule=""]')); }
    focusRow(body);
  }

  function select(body) {
    if (selected === body) { return; }
    if (selected) { selected.classList.remove("sel"); }
    selected = body;
    if (body) { body.classList.add("sel"); }
  }
  document.addEventListener("focusin", function (event) {
    var body = event.target.closest ? event.target.closest(".bead") : null;
    if (body) { select(body); }
  });

  // ---- accept / reject marks (kept in this browser's localStorage until downloaded)
  var decisions = new Map();
  function keyOf(body) {  // the pair by offsets and content: a mark is never restored on another text
    var hashes = Array.prototype.map.call(body.firstElementChild.querySelectorAll(".s[data-h]"), function (s) {
      return s.getAttribute("data-h");
    });
    return body.closest(".beads").getAttribute("data-doc") + "\u001f" + body.getAttribute("data-ru") + "\u001f" +
      body.getAttribute("data-en") + "\u001f" + hashes.join(",");
  }
  function show(body, decision) {
    body.classList.toggle("acc", decision === "accepted");
    body.classList.toggle("rej", decision === "rejected");
    var buttons = body.querySelectorAll("button.dec");
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].setAttribute("aria-pressed", String(buttons[k].getAttribute("data-d") === decision));
    }
  }
  function store() {  // the label counts what "Download decisions" writes: marks, and rows made by edits
    var saved = {}, n = 0;
    decisions.forEach(function (value, id) {
      var body = document.getElementById(id);
      if (body) { saved[keyOf(body)] = value; if (!body.classList.contains("edited")) { n++; } }
    });
    n += document.querySelectorAll(".bead.edited").length;
    try { localStorage.setItem(config.storageKey, JSON.stringify(saved)); } catch (e) { /* storage off */ }
    decidedLabel.textContent = n + (n === 1 ? " decision" : " decisions");
  }
  function setDecision(body, decision) {
    if (decision) { decisions.set(body.id, decision); } else { decisions.delete(body.id); }
    show(body, decision);
    var k = indexOf.get(body.id);
    if (k !== undefined) { hasF[k] = body.classList.contains("has-f") && decision !== "accepted" ? 1 : 0; }
    store();
  }
  function restore() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(config.storageKey) || "null"); } catch (e) { saved = null; }
    if (!saved) { return; }
    for (var k = 0; k < count; k++) {
      var body = beads[k], value = body.classList.contains("pair") ? saved[keyOf(body)] : undefined;
      if (value === "accepted" || value === "rejected") { decisions.set(body.id, value); show(body, value); }
    }
    if (decisions.size) { index(); store(); decidedLabel.textContent += " (restored)"; }
  }

  // ---- one delegated listener per event type, none per row
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.jump") : null;
    if (link) { event.preventDefault(); jump(link.getAttribute("data-jump")); return; }
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) { return; }
    if (button.hasAttribute("data-filter")) { setFilter(button); }
    else if (button.hasAttribute("data-rule") && !button.closest(".bead")) { setRule(button); }
    else if (button.id === "next-f") { go(1); }
    else if (button.id === "prev-f") { go(-1); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target, tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    var moves = {n: function () { go(1); }, p: function () { go(-1); }, j: function () { step(1); },
                 k: function () { step(-1); }, ArrowDown: function () { step(1); }, ArrowUp: function () { step(-1); }};
    if ((event.key === "ArrowDown" || event.key === "ArrowUp") && !(target && target.closest && target.closest(".bead"))) {
      return;  // the arrows scroll the page unless a row has the focus
    }
    if (Object.prototype.hasOwnProperty.call(moves, event.key)) { event.preventDefault(); moves[event.key](); }
  });
  var bar = document.querySelector(".controls");
  function barHeight() { root.style.setProperty("--bar", bar.offsetHeight + "px"); }
  window.addEventListener("resize", barHeight);
  barHeight();
  restore();

  window.alignReview = {
    config: config, tables: tables, decisions: decisions, setDecision: setDecision, focusRow: focusRow,
    selected: function () { return selected && selected.isConnected ? selected : null; },
    select: select,
    refresh: function () { index(); apply(); store(); },
    docName: function (body) { return body.closest(".beads").getAttribute("data-doc"); },
    sentences: function (body, lang) {  // the RU or EN sentence elements of a row, in order
      return Array.prototype.slice.call(body.firstElementChild.querySelectorAll(".c.t." + lang + " > .s"));
    }
  };
})();
