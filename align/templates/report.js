(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("nojs");
  root.classList.add("js");
  var config = JSON.parse(document.getElementById("align-data").textContent);
  var beads = Array.prototype.slice.call(document.querySelectorAll(".bead"));
  var count = beads.length;
  var tables = Array.prototype.slice.call(document.querySelectorAll(".beads"));
  var docOf = new Int32Array(count), untr = new Uint8Array(count), low = new Uint8Array(count);
  var hasF = new Uint8Array(count), shown = new Uint8Array(count), indexOf = new Map();
  var texts = null, filter = "all", query = "", current = -1;
  var t, i, d;
  for (t = 0, i = 0; t < tables.length; t++) {
    var bodies = tables[t].querySelectorAll(".bead");
    for (d = 0; d < bodies.length; d++, i++) { docOf[i] = t; }
  }
  for (i = 0; i < count; i++) {
    var c = beads[i].classList;
    untr[i] = c.contains("untr") ? 1 : 0;
    low[i] = c.contains("lo") ? 1 : 0;
    hasF[i] = c.contains("has-f") ? 1 : 0;
    shown[i] = 1;
    indexOf.set(beads[i].id, i);
  }
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

  function keep(k) {
    if (filter === "untr" && !untr[k]) { return false; }
    if (filter === "lo" && !low[k]) { return false; }
    if (filter === "f" && !hasF[k]) { return false; }
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
      docLabels[j].textContent = perDoc[j] + " of " + docLabels[j].getAttribute("data-total") + " rows shown";
    }
  }

  function setFilter(button) {
    filter = button.getAttribute("data-filter");
    var all = document.querySelectorAll("[data-filter]");
    for (var k = 0; k < all.length; k++) { all[k].setAttribute("aria-pressed", String(all[k] === button)); }
    apply();
  }

  var pending = 0;
  search.addEventListener("input", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { query = search.value.trim().toLowerCase(); apply(); }, 60);
  });

  function go(step) {
    var start = current;
    var active = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest(".bead") : null;
    if (active && indexOf.has(active.id)) { start = indexOf.get(active.id); }
    if (start < 0 && step < 0) { start = count; }
    for (var n = 1; n <= count; n++) {
      var k = ((start + step * n) % count + count) % count;
      if (hasF[k] && shown[k]) {
        current = k;
        var row = beads[k].firstElementChild;
        row.focus({preventScroll: true});
        row.scrollIntoView({block: "center"});
        var rank = 0, all = 0;
        for (var m = 0; m < count; m++) { if (hasF[m] && shown[m]) { all++; if (m <= k) { rank++; } } }
        navLabel.textContent = "Finding row " + rank + " of " + all;
        return;
      }
    }
    navLabel.textContent = "No findings among the rows shown";
  }

  // ---- reviewer decisions (kept in this browser's localStorage until downloaded)
  var decisions = new Map();
  function parseSpans(text) {
    if (!text) { return []; }
    return text.split(",").map(function (p) { var q = p.split(":"); return [Number(q[0]), Number(q[1])]; });
  }
  function keyOf(body) {
    return body.closest(".beads").getAttribute("data-doc") + "\u001f" + body.getAttribute("data-ru") + "\u001f" +
      body.getAttribute("data-en");
  }
  function show(body, decision) {
    body.classList.toggle("acc", decision === "accepted");
    body.classList.toggle("rej", decision === "rejected");
    var buttons = body.querySelectorAll("button.dec");
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].setAttribute("aria-pressed", String(buttons[k].getAttribute("data-d") === decision));
    }
  }
  function store() {
    var saved = {};
    decisions.forEach(function (value, id) { saved[keyOf(beads[indexOf.get(id)])] = value; });
    try { localStorage.setItem(config.storageKey, JSON.stringify(saved)); } catch (e) { /* storage off */ }
    var n = decisions.size;
    decidedLabel.textContent = n + (n === 1 ? " decision" : " decisions");
  }
  function decide(button) {
    var body = button.closest(".bead"), decision = button.getAttribute("data-d");
    if (decisions.get(body.id) === decision) { decisions.delete(body.id); decision = ""; }
    else { decisions.set(body.id, decision); }
    show(body, decision);
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
    if (decisions.size) { store(); decidedLabel.textContent += " (restored)"; }
  }
  function download() {
    var list = [];
    for (var k = 0; k < count; k++) {
      var body = beads[k], value = decisions.get(body.id);
      if (!value) { continue; }
      list.push({document: body.closest(".beads").getAttribute("data-doc"),
                 ru: parseSpans(body.getAttribute("data-ru")), en: parseSpans(body.getAttribute("data-en")),
                 decision: value});
    }
    var text = JSON.stringify({version: 1, tool: "align", decisions: list}, null, 1) + "\n";
    var url = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    var link = document.createElement("a");
    link.href = url;
    link.download = "decisions.json";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ---- one delegated listener per event type, none per row
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) { return; }
    if (button.classList.contains("dec")) { decide(button); }
    else if (button.hasAttribute("data-filter")) { setFilter(button); }
    else if (button.id === "download") { download(); }
    else if (button.id === "next-f") { go(1); }
    else if (button.id === "prev-f") { go(-1); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target, tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    if (event.key === "n") { event.preventDefault(); go(1); }
    else if (event.key === "p") { event.preventDefault(); go(-1); }
  });
  var bar = document.querySelector(".controls");
  function barHeight() { root.style.setProperty("--bar", bar.offsetHeight + "px"); }
  window.addEventListener("resize", barHeight);
  barHeight();
  restore();
})();
