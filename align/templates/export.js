(function () {
  "use strict";
  // The downloads: the reviewer's decisions (read back by `align run --decisions`), and the corrected alignment
  // as TMX 1.4 and as CSV (the columns of align's CSV writer), made from the rows as they are now.
  var review = window.alignReview;
  var EXCERPT = 60;  // characters of a side's text a decision keeps, to name it in a note
  var REVIEWED_SCORE = "1.0000";  // a row made by an edit: a person checked it (align.anchors.REVIEWED_SCORE)
  var NON_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/g;

  var sentences = review.sentences;  // a row's RU or EN sentence elements
  function rows(table) { return Array.prototype.slice.call(table.querySelectorAll(".bead")); }
  function joined(nodes) { return nodes.map(function (s) { return s.textContent; }).join(" "); }
  function lineRange(nodes) {  // align.writers.common.line_range: first lines of the first and last sentence
    if (!nodes.length) { return ""; }
    var first = nodes[0].getAttribute("data-l"), last = nodes[nodes.length - 1].getAttribute("data-l");
    return first === last ? first : first + "-" + last;
  }
  function isPair(body) {
    return sentences(body, "ru").length > 0 && sentences(body, "en").length > 0 && !body.classList.contains("rej");
  }
  function scoreOf(body) {
    return body.classList.contains("edited") ? REVIEWED_SCORE : (body.getAttribute("data-score") || "0.0000");
  }

  function save(text, name, type) {
    var url = URL.createObjectURL(new Blob([text], {type: type}));
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // ---- decisions.json, version 2: every marked or edited row, its sentences named by content
  function decisions() {
    var list = [];
    review.tables.forEach(function (table) {
      var before = new Map(), place = new Map();  // sentence element -> the hash before it on its side; its place
      var sides = {};  // lang -> {hashes: [...], at: {hash: [places]}}
      ["ru", "en"].forEach(function (lang) {
        var all = table.querySelectorAll(".bead .c.t." + lang + " > .s"), last = "", side = {hashes: [], at: {}};
        for (var k = 0; k < all.length; k++) {
          var h = all[k].getAttribute("data-h");
          before.set(all[k], last); place.set(all[k], k); side.hashes.push(h);
          (side.at[h] = side.at[h] || []).push(k);
          last = h;
        }
        sides[lang] = side;
      });
      function rank(nodes, lang, hashes, prior) {  // places before this one with the same sentences after the same one
        var side = sides[lang], here = place.get(nodes[0]), n = 0;
        (side.at[hashes[0]] || []).forEach(function (p) {
          var same = p < here && (p ? side.hashes[p - 1] : "") === prior;
          for (var k = 1; same && k < hashes.length; k++) { same = side.hashes[p + k] === hashes[k]; }
          if (same) { n++; }
        });
        return n;
      }
      function anchor(nodes, lang) {  // align.anchors.Anchor
        var hashes = nodes.map(function (s) { return s.getAttribute("data-h"); });
        var prior = nodes.length ? before.get(nodes[0]) : "";
        return {sentences: hashes, before: prior, n: nodes.length ? rank(nodes, lang, hashes, prior) : 0,
                at: nodes.map(function (s) { return s.getAttribute("data-a").split(":").map(Number); }),
                text: joined(nodes).slice(0, EXCERPT)};
      }
      rows(table).forEach(function (body) {
        var edited = body.classList.contains("edited"), decision = review.decisions.get(body.id) || (edited ? "bead" : "");
        var ru = sentences(body, "ru"), en = sentences(body, "en"), name = review.docName(body);
        if (edited && decision === "rejected") {  // a pair made by an edit, then rejected: each sentence on its own
          ru.map(function (s) { return [[s], []]; }).concat(en.map(function (s) { return [[], [s]]; }))
            .forEach(function (b) {
              list.push({document: name, decision: "bead", ru: anchor(b[0], "ru"), en: anchor(b[1], "en")});
            });
        } else if (decision) {
          list.push({document: name, decision: decision, ru: anchor(ru, "ru"), en: anchor(en, "en")});
        }
      });
    });
    return JSON.stringify({version: 2, tool: "align", decisions: list}, null, 1) + "\n";
  }

  // ---- TMX 1.4: one <tu> per pair shown (a rejected pair is not one), as align's TMX writer writes them
  function xml(text) {
    return text.replace(NON_XML, "\ufffd").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function tmxDate(date) { return date.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z"); }
  function tmx() {
    var out = ['<?xml version="1.0" encoding="UTF-8"?>', '<!DOCTYPE tmx SYSTEM "tmx14.dtd">', '<tmx version="1.4">',
      '  <header creationtool="align" creationtoolversion="' + xml(review.config.version) + '" segtype="sentence" ' +
      'o-tmf="align" adminlang="en" srclang="ru" datatype="plaintext" creationdate="' + tmxDate(new Date()) + '"/>',
      "  <body>"];
    review.tables.forEach(function (table) {
      rows(table).forEach(function (body) {
        if (!isPair(body)) { return; }
        var ru = sentences(body, "ru"), en = sentences(body, "en");
        var props = [["x-score", scoreOf(body)], ["x-document", review.docName(body)],
          ["x-kind", ru.length + "-" + en.length], ["x-lines", "ru:" + lineRange(ru) + " en:" + lineRange(en)]];
        if (body.hasAttribute("data-loose")) { props.push(["x-loose", body.getAttribute("data-loose")]); }  // align.loose
        if (body.classList.contains("edited")) { props.push(["x-edited", "yes"]); }
        if (body.classList.contains("acc")) { props.push(["x-reviewed", "accepted"]); }
        out.push("    <tu>");
        props.forEach(function (p) { out.push('      <prop type="' + p[0] + '">' + xml(p[1]) + "</prop>"); });
        out.push('      <tuv xml:lang="ru"><seg>' + xml(joined(ru)) + "</seg></tuv>");
        out.push('      <tuv xml:lang="en"><seg>' + xml(joined(en)) + "</seg></tuv>");
        out.push("    </tu>");
      });
    });
    out.push("  </body>", "</tmx>", "");
    return out.join("\n");
  }

  // ---- CSV (RFC 4180, CRLF): a row per pair and per one-sided sentence; a rejected pair is one-sided rows
  function cell(text) { return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text; }
  function csv() {
    var lines = [["document", "ru", "en", "score", "kind", "ru_lines", "en_lines"]];
    review.tables.forEach(function (table) {
      rows(table).forEach(function (body) {
        var ru = sentences(body, "ru"), en = sentences(body, "en"), name = review.docName(body);
        if (!ru.length && !en.length) { return; }  // another language: not in align's CSV either
        var beads = isPair(body) || !(ru.length && en.length) ? [[ru, en]]
          : ru.map(function (s) { return [[s], []]; }).concat(en.map(function (s) { return [[], [s]]; }));
        beads.forEach(function (b) {
          var paired = b[0].length && b[1].length;
          lines.push([name, joined(b[0]), joined(b[1]), paired ? scoreOf(body) : "0.0000",
            b[0].length + "-" + b[1].length, lineRange(b[0]), lineRange(b[1])]);
        });
      });
    });
    return lines.map(function (line) { return line.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) { return; }
    if (button.id === "download") { save(decisions(), "decisions.json", "application/json"); }
    else if (button.id === "download-tmx") { save(tmx(), "corrected.tmx", "application/x-tmx+xml"); }
    else if (button.id === "download-csv") { save(csv(), "corrected.csv", "text/csv"); }
  });
})();
