(function () {
  "use strict";
  // The alignment editor: edits of the selected row (link, merge up / down, split, unlink, fine, reject), each
  // undoable (Ctrl+Z / Ctrl+Y). An edit replaces a few rows by new ones built from the same sentence elements
  // (data-h hash, data-a offsets, data-l line), marked "edited"; nothing else on the page is rebuilt.
  var review = window.alignReview;
  var tables = review.tables;
  var status = document.getElementById("edit-status");
  var done = [], undone = [], made = 0;
  var summaryCells = summaryRows();

  function say(text) { status.textContent = text; }
  function isRow(node) { return node && node.classList && node.classList.contains("bead"); }
  var sentences = review.sentences;  // a row's RU or EN sentence elements
  function neighbour(body, direction) {
    var next = direction > 0 ? body.nextElementSibling : body.previousElementSibling;
    return isRow(next) ? next : null;
  }
  function spansOf(nodes) { return nodes.map(function (s) { return s.getAttribute("data-a"); }).join(","); }
  function lines(nodes) {
    var first = nodes[0].getAttribute("data-l"), last = nodes[nodes.length - 1].getAttribute("data-l");
    return first === last ? first : first + "–" + last;
  }
  function element(tag, className, attributes, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    for (var name in attributes || {}) { node.setAttribute(name, attributes[name]); }
    if (text) { node.textContent = text; }
    return node;
  }
  function textCell(lang, nodes) {
    if (!nodes.length) {  // the empty side's label is English text
      var gap = element("div", "c gap " + lang, {role: "cell", lang: "en"});
      gap.appendChild(element("span", "none", {}, "no translation"));
      return gap;
    }
    var cell = element("div", "c t " + lang, {role: "cell", lang: lang});
    nodes.forEach(function (s) { cell.appendChild(s.cloneNode(true)); });
    return cell;
  }
  function makeRow(table, ru, en, findings) {
    var paired = ru.length > 0 && en.length > 0;
    var body = element("div", "bead edited " + (paired ? "pair" : "untr"), {
      id: "d" + tables.indexOf(table) + "-e" + (++made), role: "rowgroup", "data-ru": spansOf(ru), "data-en": spansOf(en)
    });
    var row = element("div", "r row", {role: "row", tabindex: "-1"});
    var loc = element("div", "c loc", {role: "cell"});
    if (ru.length) { loc.appendChild(element("span", "ln", {}, "ru:" + lines(ru))); }
    if (en.length) { loc.appendChild(element("span", "ln", {}, "en:" + lines(en))); }
    row.appendChild(loc);
    row.appendChild(textCell("ru", ru));
    row.appendChild(textCell("en", en));
    var state = element("div", "c st", {role: "cell"});
    var tag = element("span", "tag ed", {}, " edited" + (paired ? "" : ", untranslated"));
    tag.insertBefore(element("span", "", {"aria-hidden": "true"}, "✎"), tag.firstChild);
    state.appendChild(tag);
    state.appendChild(document.createTextNode(" "));
    state.appendChild(element("span", "kind", {}, ru.length + "-" + en.length));
    if (paired) {
      var decide = element("span", "decide", {role: "group", "aria-label": "Review decision"});
      decide.appendChild(element("button", "dec acc-b", {type: "button", "data-d": "accepted", "aria-pressed": "false"},
        "Accept"));
      decide.appendChild(element("button", "dec rej-b", {type: "button", "data-d": "rejected", "aria-pressed": "false"},
        "Reject"));
      state.appendChild(decide);
    }
    row.appendChild(state);
    body.appendChild(row);
    if (findings.length) {  // the findings of the rows it replaces stay in view, as they were before the edit
      var list = element("ul", "findings was");
      list.appendChild(element("li", "sev-note", {}, "Before this edit:"));
      findings.forEach(function (item) { if (item.textContent !== "Before this edit:") { list.appendChild(item.cloneNode(true)); } });
      var cell = element("div", "c", {role: "cell", "aria-colspan": "3"});
      cell.appendChild(list);
      var holder = element("div", "r fnd", {role: "row"});
      holder.appendChild(cell);
      body.appendChild(holder);
    }
    return body;
  }
  function findingsOf(rows) {
    var all = [];
    rows.forEach(function (body) {
      all = all.concat(Array.prototype.slice.call(body.querySelectorAll(".fnd li")).filter(function (item) {
        return item.textContent !== "Before this edit:";
      }));
    });
    return all;
  }
  function rowsOf(table, groups, old) {  // new rows, one per [ru, en] group; the old rows' findings go on the first
    var findings = findingsOf(old);
    return groups.map(function (group, k) { return makeRow(table, group[0], group[1], k ? [] : findings); });
  }

  // ---- operations: replacing rows, or changing a row's mark; each is done, undone and redone the same way
  function swap(before, after) {
    var parent = before[0].parentNode;
    after.forEach(function (node) { parent.insertBefore(node, before[0]); });
    before.forEach(function (node) { node.remove(); });
  }
  function perform(op, backwards) {
    if (op.kind === "rows") {
      var gone = backwards ? op.after : op.before, come = backwards ? op.before : op.after;
      swap(gone, come);
      change(op.table, gone.map(contribution), come.map(contribution));
      review.refresh();
      if (!replaying) { review.focusRow(come[0]); }
    } else {
      var table = op.body.closest(".beads"), was = contribution(op.body);
      review.setDecision(op.body, backwards ? op.was : op.now);
      change(table, [was], [contribution(op.body)]);
      if (!replaying) { review.focusRow(op.body); }
    }
    counts();
  }
  function record(op) {
    op.log = logging ? Object.assign({now: op.now}, logging) : null;
    done.push(op);
    undone.length = 0;
    perform(op, false);
    save();
  }
  function undo() {
    var op = done.pop();
    if (!op) { say("Nothing to undo"); return; }
    undone.push(op);
    perform(op, true);
    save();
    say("Undone: " + op.label);
  }
  function redo() {
    var op = undone.pop();
    if (!op) { say("Nothing to redo"); return; }
    done.push(op);
    perform(op, false);
    save();
    say("Redone: " + op.label);
  }
  function replace(label, before, groups) {
    var table = before[0].closest(".beads");
    record({kind: "rows", label: label, table: table, before: before, after: rowsOf(table, groups, before)});
    say(label);
  }
  function mark(body, decision, label, given) {  // given: the mark to set (replaying); else the mark toggles
    if (!body.classList.contains("pair")) { say("Only a pair can be marked " + label); return; }
    var was = review.decisions.get(body.id) || "", now = given !== undefined ? given : (was === decision ? "" : decision);
    record({kind: "mark", label: label, body: body, was: was, now: now});
    say(now ? "Marked " + label : "Mark removed");
  }

  // ---- the edits
  function merge(body, direction) {
    var other = neighbour(body, direction);
    if (!other) { say("No row " + (direction > 0 ? "below" : "above") + " to merge with"); return; }
    var pair = direction > 0 ? [body, other] : [other, body];
    if (pair[0].classList.contains("oth") || pair[1].classList.contains("oth")) {
      say("Sentences in another language are never paired"); return;
    }
    var ru = sentences(pair[0], "ru").concat(sentences(pair[1], "ru"));
    var en = sentences(pair[0], "en").concat(sentences(pair[1], "en"));
    if (!ru.length || !en.length) { say("Both rows have " + (ru.length ? "RU" : "EN") + " sentences only: nothing to pair"); return; }
    replace((direction > 0 ? "Merged with the row below: " : "Merged with the row above: ") + ru.length + "-" + en.length,
      pair, [[ru, en]]);
  }
  function link(body) {
    if (!body.classList.contains("untr")) { say("Link joins two one-sided rows: this row is not one-sided"); return; }
    var lang = sentences(body, "ru").length ? "ru" : "en", other = lang === "ru" ? "en" : "ru";
    for (var direction = 1; direction >= -1; direction -= 2) {
      var next = neighbour(body, direction);
      if (next && next.classList.contains("untr") && sentences(next, other).length) {
        merge(body, direction);
        return;
      }
    }
    say("No " + other.toUpperCase() + "-only row right above or below to link with");
  }
  function split(body) {
    var ru = sentences(body, "ru"), en = sentences(body, "en");
    if (!ru.length || !en.length) { say("Only a pair can be split"); return; }
    if (ru.length + en.length <= 2) { say("A 1-1 pair cannot be split: unlink it (u)"); return; }
    var a = ru.length > 1 ? ru.length - 1 : 1, b = en.length > 1 ? en.length - 1 : 1;
    replace("Split into " + a + "-" + b + " and " + (ru.length - a) + "-" + (en.length - b), [body],
      [[ru.slice(0, a), en.slice(0, b)], [ru.slice(a), en.slice(b)]]);
  }
  function unlink(body) {
    var ru = sentences(body, "ru"), en = sentences(body, "en");
    if (!ru.length || !en.length) { say("Only a pair can be unlinked"); return; }
    var groups = ru.map(function (s) { return [[s], []]; }).concat(en.map(function (s) { return [[], [s]]; }));
    replace("Unlinked into " + groups.length + " one-sided rows", [body], groups);
  }
  var actions = {
    link: link, split: split, unlink: unlink,
    "merge-up": function (body) { merge(body, -1); }, "merge-down": function (body) { merge(body, 1); },
    fine: function (body, now) { mark(body, "accepted", "fine", now); },
    reject: function (body, now) { mark(body, "rejected", "rejected", now); }
  };
  var keys = {l: "link", M: "merge-up", m: "merge-down", s: "split", u: "unlink", f: "fine", a: "fine", r: "reject"};
  function act(name) {
    if (name === "undo") { undo(); return; }
    if (name === "redo") { redo(); return; }
    var body = review.selected();
    if (!body) { say("Select a row first (click it, or move to it with j / k)"); return; }
    run(name, body);
  }

  // ---- the edits made in this browser are kept (localStorage) as the list of actions done, and made again
  // when the page is opened again: each names its row by document and sentence offsets. The key names this
  // page's rows as written (editsKey), so that a new report of the same documents does not take them.
  var editsKey = review.config.editsKey, logging = null, replaying = false;
  function run(name, body, now) {
    logging = {act: name, d: tables.indexOf(body.closest(".beads")), ru: body.getAttribute("data-ru"),
               en: body.getAttribute("data-en"), h: hashes(body)};
    try { actions[name](body, now); } finally { logging = null; }
  }
  function hashes(body) {  // the row's sentences by content: a report made again from changed texts is not edited
    return sentences(body, "ru").concat(sentences(body, "en")).map(function (s) { return s.getAttribute("data-h"); }).join(",");
  }
  function save() {
    var log = done.map(function (op) { return op.log; }).filter(Boolean);
    try { localStorage.setItem(editsKey, JSON.stringify(log)); } catch (e) { /* storage off */ }
  }
  function replay() {
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(editsKey) || "null"); } catch (e) { saved = null; }
    if (!Array.isArray(saved) || !saved.length) { return; }
    // The marks report.js restored are made again by the log, in order: each one's undo then has the mark before it.
    Array.from(review.decisions.keys()).forEach(function (id) { review.setDecision(document.getElementById(id), ""); });
    var restored = 0;
    replaying = true;
    for (var k = 0; k < saved.length; k++) {
      var log = saved[k] || {}, table = tables[log.d], spans = /^[0-9:,]*$/;
      if (!table || !Object.prototype.hasOwnProperty.call(actions, log.act) || !spans.test(log.ru) || !spans.test(log.en)) {
        break;
      }
      var body = table.querySelector('.bead[data-ru="' + log.ru + '"][data-en="' + log.en + '"]'), before = done.length;
      if (!body || hashes(body) !== log.h) { break; }
      run(log.act, body, log.now);
      if (done.length === before) { break; }
      restored++;
    }
    replaying = false;
    save();
    say(restored === saved.length ? "Restored the " + restored + " edits made in this browser"
      : "Restored " + restored + " of the " + saved.length + " edits made in this browser (the others no longer apply)");
  }

  // ---- the summary table follows the edits: pairs, untranslated sentences, open findings, coverage
  function summaryRows() {
    var rows = tables.map(function (table, d) {
      var link = document.querySelector('table.summary a[href="#doc-' + d + '"]');
      return link ? link.closest("tr") : null;
    });
    var total = Array.prototype.slice.call(document.querySelectorAll("table.summary tr.total")).filter(function (tr) {
      return !tr.querySelector("a");
    })[0] || null;
    var loose = tables.map(function (table, d) {
      var cell = rows[d] && rows[d].querySelector('td[data-k="findings"]');
      return cell ? Number(cell.textContent) - table.querySelectorAll(".fnd li").length : 0;
    });
    return {rows: rows, total: total, loose: loose};
  }
  // Counted once (on the first edit), then changed by what each edit removes and adds: no pass over every row.
  var tallies = null;  // per document: {ru, en, pairs, pairedRu, pairedEn, findings}
  function size(spans) { return spans ? spans.split(",").length : 0; }
  function contribution(body) {  // sentences counted from the offsets' attributes, findings of a row not fine
    var classes = body.classList, ru = size(body.getAttribute("data-ru")), en = size(body.getAttribute("data-en"));
    var paired = ru && en && !classes.contains("rej");
    var open = classes.contains("has-f") && !classes.contains("acc") ? body.querySelectorAll(".fnd li").length : 0;
    return {ru: ru, en: en, pairs: paired ? 1 : 0, pairedRu: paired ? ru : 0, pairedEn: paired ? en : 0, findings: open};
  }
  function add(t, c, sign) { for (var key in c) { t[key] += sign * c[key]; } }
  function tally(table, d) {
    var t = {ru: 0, en: 0, pairs: 0, pairedRu: 0, pairedEn: 0, findings: summaryCells.loose[d]};
    var rows = table.querySelectorAll(".bead");
    for (var k = 0; k < rows.length; k++) { add(t, contribution(rows[k]), 1); }
    return t;
  }
  function change(table, removed, added) {  // contributions taken away and added in document `table`
    if (!tallies) { tallies = tables.map(tally); return; }  // counted now: the change is already in the rows
    var t = tallies[tables.indexOf(table)];
    removed.forEach(function (c) { add(t, c, -1); });
    added.forEach(function (c) { add(t, c, 1); });
  }
  function write(tr, t) {
    if (!tr) { return; }
    var values = {pairs: t.pairs, "untr-ru": t.ru - t.pairedRu, "untr-en": t.en - t.pairedEn, findings: t.findings};
    for (var key in values) {
      var cell = tr.querySelector('td[data-k="' + key + '"]');
      if (cell) { cell.textContent = String(values[key]); }
    }
    [["ru", t.pairedRu, t.ru], ["en", t.pairedEn, t.en]].forEach(function (side) {
      var cov = tr.querySelector('td[data-k="cov-' + side[0] + '"]');
      if (!cov) { return; }
      var share = side[2] ? 100 * side[1] / side[2] : 0;
      cov.querySelector(".cov").textContent = side[2] ? Math.round(share) + "%" : "–";
      cov.querySelector(".sub").textContent = "(" + side[1] + "/" + side[2] + ")";
      cov.querySelector(".bar span").style.width = share.toFixed(1) + "%";
    });
  }
  function counts() {
    var sum = {ru: 0, en: 0, pairs: 0, pairedRu: 0, pairedEn: 0, findings: 0};
    tables.forEach(function (table, d) {
      var t = tallies[d];
      write(summaryCells.rows[d], t);
      for (var key in sum) { sum[key] += t[key]; }
    });
    if (tables.length !== 1) { write(summaryCells.total, sum); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) { return; }
    if (button.classList.contains("dec")) {
      var body = button.closest(".bead"), decision = button.getAttribute("data-d");
      review.select(body);
      run(decision === "accepted" ? "fine" : "reject", body);
    } else if (button.hasAttribute("data-edit")) { act(button.getAttribute("data-edit")); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.metaKey || event.altKey || event.defaultPrevented) { return; }
    var target = event.target, tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) { return; }
    var key = event.key.length === 1 && event.ctrlKey ? event.key.toLowerCase() : event.key;
    if (event.ctrlKey) {
      if (key === "z" && !event.shiftKey) { event.preventDefault(); undo(); }
      else if (key === "y" || (key === "z" && event.shiftKey)) { event.preventDefault(); redo(); }
      return;
    }
    if (Object.prototype.hasOwnProperty.call(keys, key)) { event.preventDefault(); act(keys[key]); }
  });
  review.counts = counts;
  replay();
  if (!tallies && review.decisions.size) { change(null, [], []); counts(); }  // marks restored, no edit made again
  // The counts the edits change are taken once the page is idle, so that the first edit does not wait for them.
  (window.requestIdleCallback || function (f) { setTimeout(f, 1); })(function () { change(null, [], []); });
})();
