/*
 * 政务公开问答 — front-desk kiosk (page: templates/kiosk.html, served by bot/web/kiosk.py).
 *
 * Home: topic tiles from /api/faq. A tile shows its featured questions; a question (or the typed one)
 * shows the answer from /api/ask in large type: responsible unit and deadline as labelled badges, the
 * reply, the cited clause and its source, related questions, a helpful / not-helpful vote.
 * After data-idle seconds without a touch or key the kiosk returns home and forgets the visitor:
 * new session id, answer and topic screens emptied, input cleared, large-text mode off.
 *
 * All text from the API goes in with textContent / createElement, never innerHTML.
 */
(function () {
  "use strict";

  var body = document.body;
  var API = (body.getAttribute("data-api") || "").replace(/\/+$/, "");
  var IDLE_MS = Math.max(1, parseInt(body.getAttribute("data-idle") || "90", 10) || 90) * 1000;
  var REGION = body.getAttribute("data-region") || "";
  var PHONE = body.getAttribute("data-phone") || "12345";

  var $ = function (id) { return document.getElementById(id); };
  var screens = { home: $("k-home-screen"), topic: $("k-topic-screen"), answer: $("k-answer-screen") };
  var tiles = $("k-tiles");
  var questions = $("k-questions");
  var topicTitle = $("k-topic-title");
  var answerBox = $("k-answer");
  var input = $("k-input");
  var form = $("k-form");
  var largeBtn = $("k-large");

  var topics = [];
  var regions = [];
  var session = "";
  var previous = "home";
  var current = "home";
  var idleTimer = 0;
  var generation = 0; // bumps on every reset, so a late answer never lands on the next visitor's screen

  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) return "kiosk-" + window.crypto.randomUUID();
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return "kiosk-" + Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function setSession(id) {
    session = id;
    body.setAttribute("data-session", id);
  }

  function el(tag, cls, text) {
    var n = document.createElement(tag);
    if (cls) n.className = cls;
    if (text != null) n.textContent = String(text);
    return n;
  }

  function show(name) {
    if (name !== current) previous = current;
    current = name;
    Object.keys(screens).forEach(function (k) { screens[k].hidden = k !== name; });
    $("k-main").scrollTop = 0;
    var heading = screens[name].querySelector("h2");
    if (heading && name !== "home") { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }

  // ---------------------------------------------------------------------------------------------
  // Topics and questions.

  function renderTiles() {
    tiles.textContent = "";
    topics.forEach(function (tp) {
      // A real list of real buttons (<li><button>): screen readers announce "button, 1 of 6" and keyboards reach it.
      var li = el("li", "tile-item");
      var b = el("button", "tile");
      b.type = "button";
      b.setAttribute("data-key", tp.key || "");
      b.appendChild(el("span", "name", tp.name));
      b.appendChild(el("span", "count", forHere(tp.questions || []).length + " 个常见问题"));
      b.addEventListener("click", function () { openTopic(tp); });
      li.appendChild(b);
      tiles.appendChild(li);
    });
  }

  // A kiosk placed in one district (data-region) leaves out questions about the other districts.
  function forHere(list) {
    if (!REGION) return list;
    var others = regions.filter(function (r) { return r && r !== REGION; });
    var mine = list.filter(function (q) { return !others.some(function (r) { return q.indexOf(r) >= 0; }); });
    return mine.length ? mine : list;
  }

  function openTopic(tp) {
    topicTitle.textContent = tp.name;
    questions.textContent = "";
    forHere(tp.questions || []).forEach(function (q) {
      var li = el("li", "question-item");
      var b = el("button", "question", q);
      b.type = "button";
      b.addEventListener("click", function () { ask(q); });
      li.appendChild(b);
      questions.appendChild(li);
    });
    show("topic");
  }

  function loadTopics() {
    var info = REGION ? fetch(API + "/api/info", { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (d) { regions = Array.isArray(d.regions) ? d.regions.map(String) : []; })
      .catch(function () { regions = []; }) : Promise.resolve();
    info.then(function () { return fetch(API + "/api/faq", { credentials: "same-origin" }); })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (list) { topics = Array.isArray(list) ? list : []; renderTiles(); $("k-tiles-error").hidden = topics.length > 0; })
      .catch(function () { $("k-tiles-error").hidden = false; });
  }

  // ---------------------------------------------------------------------------------------------
  // Answers.

  function badge(kind, label, value) {
    var p = el("p", "badge badge-" + kind);
    p.appendChild(el("span", "label", label));
    p.appendChild(el("span", "value", value));
    return p;
  }

  function renderAnswer(a) {
    var box = el("article", "answer" + (a.answered ? " answered" : " declined"));
    var q = el("p", "q", "您的问题：");
    q.appendChild(el("strong", null, a.question));
    box.appendChild(q);
    var units = Array.isArray(a.units) ? a.units : [];
    if (units.length || a.deadline) {
      var badges = el("div", "badges");
      if (units.length) badges.appendChild(badge("units", "负责单位", units.join("、")));
      if (a.deadline) badges.appendChild(badge("deadline", "完成时限", a.deadline));
      box.appendChild(badges);
    }
    var shown = typeof a.brief === "string" ? a.brief : a.reply;  // badges + clause box carry the rest
    if (shown) box.appendChild(el("p", "reply", shown));
    var top = a.results && a.results[0];
    // An office's official answer (kind "answer") carries its source and date in the reply itself.
    if (top && top.text && top.kind !== "answer") {
      var clause = el("section", "clause");
      clause.appendChild(el("h3", null, "原文条款"));
      clause.appendChild(el("blockquote", null, top.text));
      if (a.citation) {
        var src = el("p", "source", "来源：");
        src.appendChild(el("cite", null, a.citation));
        clause.appendChild(src);
      }
      box.appendChild(clause);
    }
    if (a.suggestions && a.suggestions.length) {
      var rel = el("section", "related");
      rel.appendChild(el("h3", null, "您可能还想问"));
      var chips = el("div", "chips");
      a.suggestions.slice(0, 6).forEach(function (s) {
        var c = el("button", "chip", s);
        c.type = "button";
        c.addEventListener("click", function () { ask(s); });
        chips.appendChild(c);
      });
      rel.appendChild(chips);
      box.appendChild(rel);
    }
    if (a.answered) box.appendChild(renderFeedback(a, top ? top.id : null));
    return box;
  }

  function renderFeedback(a, entryId) {
    var wrap = el("div", "feedback");
    wrap.setAttribute("role", "group");
    wrap.setAttribute("aria-label", "这个回答有帮助吗？");
    wrap.appendChild(el("span", "feedback-q", "这个回答有帮助吗？"));
    var status = el("span", "fb-status");
    status.setAttribute("role", "status");
    [["有帮助", true], ["没帮助", false]].forEach(function (pair) {
      var b = el("button", pair[1] ? "fb-yes" : "fb-no", pair[0]);
      b.type = "button";
      b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(wrap.querySelectorAll("button"), function (x) { x.disabled = true; });
        b.setAttribute("aria-pressed", "true");
        status.textContent = "感谢您的反馈！";
        fetch(API + "/api/feedback", {
          method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
          body: JSON.stringify({ helpful: pair[1], question: a.question, entry_id: entryId, answer_id: a.answer_id, session: session, channel: "kiosk" })
        }).catch(function () { /* ignore */ });
      });
      wrap.appendChild(b);
    });
    wrap.appendChild(status);
    return wrap;
  }

  function ask(text) {
    var q = String(text || "").trim();
    if (!q) return;
    input.value = "";
    input.blur();
    var mine = generation;
    answerBox.textContent = "";
    answerBox.appendChild(el("p", "loading", "正在查找答案，请稍候…"));
    show("answer");
    var payload = { question: q, session: session, channel: "kiosk" };
    if (REGION) payload.region = REGION;
    fetch(API + "/api/ask", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin", body: JSON.stringify(payload)
    })
      .then(function (r) {
        if (r.status === 429) throw new Error("busy");
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      })
      .then(function (a) {
        if (mine !== generation) return;
        answerBox.textContent = "";
        answerBox.appendChild(renderAnswer(a));
      })
      .catch(function (err) {
        if (mine !== generation) return;
        answerBox.textContent = "";
        var msg = err && err.message === "busy" ? "查询的人较多，请稍后再试。" : "暂时无法查询，请稍后再试或拨打 " + PHONE + "。";
        answerBox.appendChild(el("p", "error", msg));
      });
  }

  // ---------------------------------------------------------------------------------------------
  // Idle reset: forget the visitor.

  function setLarge(on) {
    body.classList.toggle("large", on);
    largeBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function resetVisitor() {
    generation += 1;
    setSession(newSessionId());
    answerBox.textContent = "";
    questions.textContent = "";
    topicTitle.textContent = "";
    input.value = "";
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    setLarge(false);
    previous = "home";
    show("home");
    body.setAttribute("data-resets", String(parseInt(body.getAttribute("data-resets") || "0", 10) + 1));
  }

  function touched() {
    window.clearTimeout(idleTimer);
    idleTimer = window.setTimeout(function () {
      var hasVisitor = current !== "home" || input.value || answerBox.childNodes.length || body.classList.contains("large");
      if (hasVisitor) resetVisitor();
      else setSession(newSessionId());
      touched();
    }, IDLE_MS);
  }

  ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (type) {
    document.addEventListener(type, touched, { passive: true, capture: true });
  });

  // ---------------------------------------------------------------------------------------------
  // Wiring.

  form.addEventListener("submit", function (e) { e.preventDefault(); ask(input.value); });
  $("k-home").addEventListener("click", function () { show("home"); });
  largeBtn.addEventListener("click", function () { setLarge(!body.classList.contains("large")); });
  Array.prototype.forEach.call(document.querySelectorAll(".back"), function (b) {
    b.addEventListener("click", function () {
      var target = b.getAttribute("data-back") === "previous" ? previous : "home";
      show(target === "answer" ? "home" : target);
    });
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") show("home"); });

  setSession(newSessionId());
  loadTopics();
  touched();
})();
