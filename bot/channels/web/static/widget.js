/*
 * 政务公开问答 — embeddable chat widget.
 *
 * One tag on any page:
 *   <script src="https://HOST/widget.js" data-region="槐荫区" defer></script>
 * Optional attributes: data-api (API base, default: where this script came from), data-lang ("zh" | "en",
 * default: the page's <html lang>), data-title (panel heading).
 *
 * Adds a launcher button and a chat panel inside a Shadow DOM (the page's CSS cannot reach in, ours
 * cannot leak out) and talks to the JSON API of bot/web/api.py: /api/ask, /api/suggest, /api/faq,
 * /api/info, /api/feedback. No external CDN or font, so it works on an intranet.
 *
 * Safety: every string from the user, the API or the documents reaches the page through textContent /
 * createElement, never innerHTML. History (messages, session id, open state) lives in sessionStorage;
 * the large-text / high-contrast switch in localStorage.
 */
(function () {
  "use strict";

  if (window.__zwgkWidgetLoaded) return;
  window.__zwgkWidgetLoaded = true;

  var script = document.currentScript;
  var scriptSrc = (script && script.src) || "";
  var dataset = (script && script.dataset) || {};
  var API = (dataset.api || scriptSrc.replace(/\/widget\.js(?:[?#].*)?$/, "") || "").replace(/\/+$/, "");
  var REGION = dataset.region || "";
  var pageLang = (dataset.lang || document.documentElement.lang || "zh").toLowerCase();
  var UI_LANG = pageLang.indexOf("en") === 0 ? "en" : "zh";
  var STORE_KEY = "zwgk-widget:" + API;
  var A11Y_KEY = "zwgk-widget-large";
  var MAX_MESSAGES = 60;
  var SUGGEST_DELAY_MS = 200;

  var STRINGS = {
    zh: {
      title: "政务公开问答",
      launcher: "政务问答",
      launcherLabel: "打开政务公开问答",
      launcherClose: "关闭政务公开问答",
      close: "关闭",
      newChat: "新对话",
      newChatLabel: "开始新对话（清空记录）",
      large: "大字",
      largeLabel: "大字号与高对比度",
      welcome: "您好！我可以回答政务公开工作要点中的问题，例如某项工作由哪个部门负责、什么时候完成。",
      featured: "常见问题",
      browse: "按部门、板块、时限浏览全部任务",
      inputLabel: "输入您的问题",
      placeholder: "请输入问题，如：养老补贴信息公开归哪个部门管？",
      send: "发送",
      typing: "正在查找答案…",
      units: "负责单位",
      deadline: "完成时限",
      clause: "查看原文条款",
      source: "来源：",
      related: "相关问题",
      helpfulQ: "这个回答有帮助吗？",
      yes: "有帮助",
      no: "没帮助",
      thanks: "感谢您的反馈！",
      errNet: "暂时无法连接服务，请稍后再试，或拨打12345热线。",
      errRate: "提问太频繁了，请 {s} 秒后再试。",
      errServer: "服务出了点问题，请稍后再试。",
      errTooLong: "问题太长了，请精简到 {n} 字以内。",
      suggestions: "输入建议",
      you: "您的问题：",
      bot: "回答：",
      log: "对话记录",
      dialog: "政务公开问答对话窗口"
    },
    en: {
      title: "Policy Q&A",
      launcher: "Ask us",
      launcherLabel: "Open the government information Q&A",
      launcherClose: "Close the government information Q&A",
      close: "Close",
      newChat: "New chat",
      newChatLabel: "Start a new conversation (clears history)",
      large: "Large text",
      largeLabel: "Large text and high contrast",
      welcome: "Hello! I answer questions about the government information disclosure work plans: which department is responsible for a task and when it is due.",
      featured: "Popular questions",
      browse: "Browse all tasks by department, section or deadline",
      inputLabel: "Type your question",
      placeholder: "e.g. Who is responsible for elderly care subsidies?",
      send: "Send",
      typing: "Looking for the answer…",
      units: "Responsible unit",
      deadline: "Deadline",
      clause: "Show the original clause",
      source: "Source: ",
      related: "Related questions",
      helpfulQ: "Was this answer helpful?",
      yes: "Helpful",
      no: "Not helpful",
      thanks: "Thank you for your feedback!",
      errNet: "Cannot reach the service right now. Please try again later or call 12345.",
      errRate: "Too many questions. Please try again in {s} seconds.",
      errServer: "Something went wrong. Please try again later.",
      errTooLong: "The question is too long; please keep it under {n} characters.",
      suggestions: "Suggestions",
      you: "You asked: ",
      bot: "Answer: ",
      log: "Conversation",
      dialog: "Government information Q&A"
    }
  };

  function t(key, lang) {
    var table = STRINGS[lang || UI_LANG] || STRINGS.zh;
    return table[key] != null ? table[key] : STRINGS.zh[key];
  }

  // ---------------------------------------------------------------------------------------------
  // Styles. Carried in this file so one <script> tag is the whole integration (see pages.py for the
  // CSP consequence). Colours meet WCAG AA (4.5:1 for text); every cue also has a text label.
  var CSS = [
    ":host{all:initial;}",
    ".root{position:fixed;right:20px;bottom:20px;z-index:2147483000;font-family:\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"Noto Sans SC\",\"Hiragino Sans GB\",sans-serif;font-size:15px;line-height:1.6;color:#1f1f1f;--accent:#b3171b;--accent-dark:#8e1014;--ink:#1f1f1f;--muted:#4d4d4d;--bg:#fff;--soft:#f5f5f5;--line:#c9c9c9;--focus:#1a56db;--chip-bg:#fff;--chip-ink:#8e1014;--badge-bg:#fff6e0;--badge-line:#8a5a00;--badge-ink:#4a3000;--user-bg:#b3171b;--user-ink:#fff;}",
    ".root *,.root *::before,.root *::after{box-sizing:border-box;}",
    "button,input{font:inherit;color:inherit;letter-spacing:normal;}",
    "button{cursor:pointer;}",
    ":focus-visible{outline:3px solid var(--focus);outline-offset:2px;}",
    ".sr-only{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0;}",
    ".launcher{display:inline-flex;align-items:center;gap:8px;min-height:52px;padding:0 20px;border:2px solid var(--accent-dark);border-radius:26px;background:var(--accent);color:#fff;font-size:16px;font-weight:600;box-shadow:0 4px 14px rgba(0,0,0,.25);float:right;}",
    ".launcher:hover{background:var(--accent-dark);}",
    ".launcher svg{width:22px;height:22px;fill:currentColor;}",
    ".panel{position:fixed;right:20px;bottom:84px;width:390px;max-width:calc(100vw - 40px);height:min(640px,calc(100vh - 110px));display:flex;flex-direction:column;background:var(--bg);color:var(--ink);border:1px solid var(--line);border-radius:12px;box-shadow:0 10px 40px rgba(0,0,0,.3);overflow:hidden;}",
    ".panel[hidden]{display:none;}",
    ".head{display:flex;align-items:center;gap:6px;padding:10px 10px 10px 16px;background:var(--accent);color:#fff;}",
    ".head h2{flex:1;margin:0;font-size:17px;font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;}",
    ".head button{min-height:36px;min-width:36px;padding:2px 10px;border:1px solid rgba(255,255,255,.8);border-radius:6px;background:transparent;color:#fff;font-size:14px;}",
    ".head button:hover{background:rgba(255,255,255,.15);}",
    ".head button[aria-pressed=true]{background:#fff;color:var(--accent-dark);}",
    ".head :focus-visible{outline-color:#fff;}",
    ".log{flex:1;overflow-y:auto;padding:14px;background:var(--soft);display:flex;flex-direction:column;gap:12px;}",
    ".msg{max-width:92%;padding:10px 12px;border-radius:10px;word-wrap:break-word;overflow-wrap:anywhere;}",
    ".msg p{margin:0;}",
    ".user{align-self:flex-end;background:var(--user-bg);color:var(--user-ink);border-bottom-right-radius:2px;white-space:pre-wrap;}",
    ".bot{align-self:flex-start;background:var(--bg);border:1px solid var(--line);border-bottom-left-radius:2px;}",
    ".bot .reply{white-space:pre-line;}",
    ".error{border-color:var(--accent);}",
    ".welcome h3,.bot h3{margin:8px 0 6px;font-size:14px;color:var(--muted);font-weight:600;}",
    ".badges{display:flex;flex-direction:column;gap:6px;margin-bottom:8px;}",
    ".badge{display:block;padding:6px 10px;border:2px solid var(--badge-line);border-radius:8px;background:var(--badge-bg);color:var(--badge-ink);font-size:1.05em;}",
    ".badge .label{display:inline-block;margin-right:8px;padding:0 6px;border-radius:4px;background:var(--badge-line);color:#fff;font-size:.85em;font-weight:600;}",
    ".badge .value{font-weight:700;}",
    "details{margin-top:8px;border-top:1px solid var(--line);padding-top:6px;}",
    "summary{cursor:pointer;color:var(--accent-dark);font-weight:600;padding:4px 0;}",
    "blockquote{margin:6px 0;padding:8px 10px;border-left:4px solid var(--accent);background:var(--soft);white-space:pre-line;}",
    ".source{font-size:.9em;color:var(--muted);}",
    "cite{font-style:normal;}",
    ".chips{display:flex;flex-wrap:wrap;gap:6px;}",
    ".chip{padding:6px 12px;border:1px solid var(--chip-ink);border-radius:16px;background:var(--chip-bg);color:var(--chip-ink);font-size:.93em;text-align:left;}",
    ".chip:hover{background:#fbeaea;}",
    ".feedback{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;font-size:.9em;color:var(--muted);}",
    ".feedback button{padding:3px 10px;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--ink);}",
    ".feedback button[aria-pressed=true]{border:2px solid var(--ink);font-weight:700;}",
    ".feedback button:disabled{cursor:default;}",
    ".typing{color:var(--muted);}",
    ".dots::after{content:'';display:inline-block;width:1.2em;text-align:left;animation:zwgk-dots 1.2s steps(4,end) infinite;}",
    "@keyframes zwgk-dots{0%{content:'';}25%{content:'.';}50%{content:'..';}75%{content:'...';}}",
    "@media (prefers-reduced-motion:reduce){.dots::after{animation:none;content:'…';}}",
    ".composer{position:relative;display:flex;gap:8px;padding:10px;border-top:1px solid var(--line);background:var(--bg);}",
    ".composer input{flex:1;min-width:0;min-height:44px;padding:8px 12px;border:2px solid #767676;border-radius:8px;background:var(--bg);color:var(--ink);}",
    ".composer input::placeholder{color:#6b6b6b;}",
    ".send{min-height:44px;padding:0 18px;border:2px solid var(--accent-dark);border-radius:8px;background:var(--accent);color:#fff;font-weight:600;}",
    ".send:hover{background:var(--accent-dark);}",
    ".listbox{position:absolute;left:10px;right:10px;bottom:100%;margin:0 0 4px;padding:4px 0;list-style:none;max-height:240px;overflow-y:auto;background:var(--bg);border:2px solid #767676;border-radius:8px;box-shadow:0 4px 16px rgba(0,0,0,.2);}",
    ".listbox[hidden]{display:none;}",
    ".listbox li{padding:8px 12px;cursor:pointer;}",
    ".listbox li[aria-selected=true],.listbox li:hover{background:#fbeaea;color:var(--accent-dark);text-decoration:underline;}",
    /* 适老化: larger type, bigger targets and a high-contrast palette (white on black, yellow accents). */
    ".large{font-size:20px;--accent:#000;--accent-dark:#000;--ink:#fff;--muted:#f0f0f0;--bg:#000;--soft:#1a1a1a;--line:#fff;--focus:#ffd60a;--chip-bg:#000;--chip-ink:#ffd60a;--badge-bg:#000;--badge-line:#ffd60a;--badge-ink:#fff;--user-bg:#ffd60a;--user-ink:#000;}",
    ".large .panel{width:520px;}",
    ".large .launcher{font-size:20px;min-height:60px;border-color:#ffd60a;}",
    ".large .head{border-bottom:2px solid #ffd60a;}",
    ".large .head button[aria-pressed=true]{background:#ffd60a;color:#000;}",
    ".large .badge .label{color:#000;}",
    /* the clause link and its source stay readable on black (the accent turns black in this mode) */
    ".large summary,.large a{color:#ffd60a;}",
    ".large blockquote{border-left-color:#ffd60a;}",
    ".large .chip:hover,.large .listbox li[aria-selected=true],.large .listbox li:hover{background:#333;color:#ffd60a;}",
    ".large .composer input{border-color:#fff;}",
    ".large .composer input::placeholder{color:#cfcfcf;}",
    ".large .send{background:#ffd60a;color:#000;border-color:#ffd60a;}",
    ".large .head :focus-visible{outline-color:#ffd60a;}",
    "@media (max-width:600px){.root{right:12px;bottom:12px;}.panel{inset:0;right:0;bottom:0;width:100%!important;max-width:none;height:100%;border-radius:0;border:0;}.root.open .launcher{display:none;}}"
  ].join("\n");

  // ---------------------------------------------------------------------------------------------
  // State kept across page navigation (sessionStorage) and the a11y preference (localStorage).

  function newSessionId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    (window.crypto || { getRandomValues: function (b) { for (var i = 0; i < b.length; i++) b[i] = Math.floor(Math.random() * 256); return b; } }).getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function loadState() {
    try {
      var s = JSON.parse(window.sessionStorage.getItem(STORE_KEY) || "null");
      if (s && typeof s.session === "string" && Array.isArray(s.messages)) return s;
    } catch (e) { /* storage off or corrupt: start fresh */ }
    return { session: newSessionId(), messages: [], open: false };
  }

  function saveState() {
    try {
      state.messages = state.messages.slice(-MAX_MESSAGES);
      window.sessionStorage.setItem(STORE_KEY, JSON.stringify(state));
    } catch (e) { /* private mode or full: history just won't survive navigation */ }
  }

  function loadLarge() {
    try { return window.localStorage.getItem(A11Y_KEY) === "on"; } catch (e) { return false; }
  }

  function saveLarge(on) {
    try { window.localStorage.setItem(A11Y_KEY, on ? "on" : "off"); } catch (e) { /* ignore */ }
  }

  var state = loadState();
  var info = { site_name: null, max_question_chars: 500, regions: [] };
  var topics = null;
  var busy = false;

  // ---------------------------------------------------------------------------------------------
  // DOM helpers: text only.

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "class") node.className = v;
        else if (typeof v === "function") node.addEventListener(k.replace(/^on/, ""), v);
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    (children || []).forEach(function (c) { if (c) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z");
    svg.appendChild(path);
    return svg;
  }

  // ---------------------------------------------------------------------------------------------
  // Build the UI inside a shadow root on a custom element (page selectors like `div` never match it).

  var host = document.createElement("zwgk-widget");
  host.setAttribute("data-zwgk", "");
  var shadow = host.attachShadow({ mode: "open" });
  if ("adoptedStyleSheets" in Document.prototype && typeof CSSStyleSheet === "function" && "replaceSync" in CSSStyleSheet.prototype) {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } else {
    shadow.appendChild(el("style", { text: CSS }));
  }

  var root = el("div", { class: "root", lang: UI_LANG === "en" ? "en" : "zh-CN" });
  var launcherText = el("span", { text: t("launcher") });
  var launcher = el("button", {
    type: "button", class: "launcher", "aria-expanded": "false", "aria-controls": "zwgk-panel",
    "aria-label": t("launcherLabel")
  }, [icon(), launcherText]);

  var titleEl = el("h2", { id: "zwgk-title", text: dataset.title || t("title") });
  var largeBtn = el("button", { type: "button", class: "large-toggle", "aria-pressed": "false", title: t("largeLabel"), "aria-label": t("largeLabel"), text: t("large") });
  var newBtn = el("button", { type: "button", class: "new-chat", title: t("newChatLabel"), "aria-label": t("newChatLabel"), text: t("newChat") });
  var closeBtn = el("button", { type: "button", class: "close", "aria-label": t("close"), title: t("close"), text: "✕" });
  var log = el("div", { class: "log", role: "log", "aria-live": "polite", "aria-label": t("log"), tabindex: "-1" });
  var input = el("input", {
    id: "zwgk-q", type: "text", autocomplete: "off", enterkeyhint: "send", maxlength: "500",
    placeholder: t("placeholder"), role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
    "aria-controls": "zwgk-suggest"
  });
  var listbox = el("ul", { id: "zwgk-suggest", class: "listbox", role: "listbox", "aria-label": t("suggestions"), hidden: true });
  var sendBtn = el("button", { type: "submit", class: "send", text: t("send") });
  var form = el("form", { class: "composer", novalidate: true }, [
    el("label", { for: "zwgk-q", class: "sr-only", text: t("inputLabel") }), listbox, input, sendBtn
  ]);
  var panel = el("div", {
    id: "zwgk-panel", class: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "zwgk-title", hidden: true
  }, [el("div", { class: "head" }, [titleEl, largeBtn, newBtn, closeBtn]), log, form]);
  root.appendChild(panel);
  root.appendChild(launcher);
  shadow.appendChild(root);

  function setLarge(on) {
    root.classList.toggle("large", on);
    largeBtn.setAttribute("aria-pressed", on ? "true" : "false");
  }

  // ---------------------------------------------------------------------------------------------
  // Rendering the conversation.

  function chip(text, onClick) {
    return el("button", { type: "button", class: "chip", text: text, onclick: function () { onClick(text); } });
  }

  function renderWelcome() {
    var box = el("div", { class: "msg bot welcome" }, [el("p", { text: t("welcome") })]);
    if (topics && topics.length) {
      // On a district's page, leave out featured questions about other districts.
      var others = (info.regions || []).filter(function (r) { return r && r !== REGION; });
      var fits = function (q) { return !REGION || !others.some(function (r) { return q.indexOf(r) >= 0; }); };
      var picks = [];
      for (var round = 0; picks.length < 6 && round < 6; round++) {
        topics.forEach(function (tp) {
          var q = (tp.questions || []).filter(fits)[round];
          if (q && picks.length < 6 && picks.indexOf(q) < 0) picks.push(q);
        });
      }
      if (picks.length) {
        box.appendChild(el("h3", { id: "zwgk-featured", text: t("featured") }));
        box.appendChild(el("div", { class: "chips featured", role: "group", "aria-labelledby": "zwgk-featured" },
          picks.map(function (q) { return chip(q, ask); })));
      }
    }
    // 多维度分类展现: the plan's tasks by department, section and deadline (/browse), in a new tab.
    box.appendChild(el("p", { class: "browse" }, [el("a", { href: API + "/browse", target: "_blank", rel: "noopener", text: t("browse") })]));
    return box;
  }

  function renderUser(m) {
    return el("div", { class: "msg user" }, [el("span", { class: "sr-only", text: t("you") }), el("p", { text: m.text })]);
  }

  function badge(kind, label, value) {
    return el("p", { class: "badge badge-" + kind }, [el("span", { class: "label", text: label }), el("span", { class: "value", text: value })]);
  }

  function renderBot(m, index) {
    var L = m.lang === "en" ? "en" : UI_LANG;
    var box = el("article", { class: "msg bot answer" + (m.answered ? " answered" : " declined"), lang: m.lang === "en" ? "en" : null });
    box.appendChild(el("span", { class: "sr-only", text: t("bot", L) }));
    if (m.units && m.units.length || m.deadline) {
      var badges = el("div", { class: "badges" });
      if (m.units && m.units.length) badges.appendChild(badge("units", t("units", L), m.units.join("、")));
      if (m.deadline) badges.appendChild(badge("deadline", t("deadline", L), m.deadline));
      box.appendChild(badges);
    }
    var shown = typeof m.brief === "string" ? m.brief : m.reply;  // badges + clause box carry the rest
    if (shown) box.appendChild(el("p", { class: "reply", text: shown }));
    if (m.clause) {
      var details = el("details", { class: "clause" }, [el("summary", { text: t("clause", L) }), el("blockquote", { text: m.clause })]);
      if (m.citation) details.appendChild(el("p", { class: "source" }, [el("span", { text: t("source", L) }), el("cite", { text: m.citation })]));
      box.appendChild(details);
    }
    if (m.suggestions && m.suggestions.length) {
      var hid = "zwgk-rel-" + index;
      box.appendChild(el("h3", { id: hid, text: t("related", L) }));
      box.appendChild(el("div", { class: "chips related", role: "group", "aria-labelledby": hid },
        m.suggestions.slice(0, 5).map(function (q) { return chip(q, ask); })));
    }
    if (m.answered) box.appendChild(renderFeedback(m, L));
    return box;
  }

  function renderFeedback(m, L) {
    var status = el("span", { class: "fb-status", role: "status", text: m.feedback ? t("thanks", L) : "" });
    var yes = el("button", { type: "button", class: "fb-yes", "aria-pressed": m.feedback === "yes" ? "true" : "false", disabled: !!m.feedback, text: t("yes", L) });
    var no = el("button", { type: "button", class: "fb-no", "aria-pressed": m.feedback === "no" ? "true" : "false", disabled: !!m.feedback, text: t("no", L) });
    function vote(helpful) {
      if (m.feedback) return;
      m.feedback = helpful ? "yes" : "no";
      yes.disabled = no.disabled = true;
      (helpful ? yes : no).setAttribute("aria-pressed", "true");
      status.textContent = t("thanks", L);
      saveState();
      postJSON("/api/feedback", { helpful: helpful, question: m.question, entry_id: m.entryId || null, answer_id: m.answerId, session: state.session })
        .catch(function () { /* a lost vote is not worth bothering the visitor */ });
    }
    yes.addEventListener("click", function () { vote(true); });
    no.addEventListener("click", function () { vote(false); });
    return el("div", { class: "feedback", role: "group", "aria-label": t("helpfulQ", L) }, [el("span", { text: t("helpfulQ", L) }), yes, no, status]);
  }

  function renderError(text) {
    return el("div", { class: "msg bot error", role: "alert" }, [el("p", { text: text })]);
  }

  function renderAll() {
    log.textContent = "";
    log.appendChild(renderWelcome());
    state.messages.forEach(function (m, i) { log.appendChild(m.role === "user" ? renderUser(m) : renderBot(m, i)); });
    log.scrollTop = log.scrollHeight;
  }

  // New answers are scrolled to their top (badges first); anything else to the bottom of the log.
  function append(node, alignTop) {
    log.appendChild(node);
    if (alignTop) log.scrollTop += node.getBoundingClientRect().top - log.getBoundingClientRect().top - 12;
    else log.scrollTop = log.scrollHeight;
  }

  // ---------------------------------------------------------------------------------------------
  // Talking to the API.

  function request(path, options) {
    return window.fetch(API + path, Object.assign({ credentials: "omit", mode: "cors" }, options || {}));
  }

  function postJSON(path, body) {
    return request(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r; });
  }

  function compact(a) {
    var top = (a.results && a.results[0]) || null;
    return {
      role: "bot", question: a.question, answered: !!a.answered, reply: String(a.reply || ""),
      brief: typeof a.brief === "string" ? a.brief : null,
      units: Array.isArray(a.units) ? a.units.map(String) : [], deadline: a.deadline ? String(a.deadline) : null,
      citation: a.citation ? String(a.citation) : null,
      clause: top && top.text && top.kind !== "answer" ? String(top.text) : null,  // official answers: reply says all
      entryId: top && top.id ? String(top.id) : null,
      answerId: a.answer_id ? String(a.answer_id) : null,
      suggestions: Array.isArray(a.suggestions) ? a.suggestions.map(String) : [], lang: a.lang === "en" ? "en" : "zh",
      feedback: null
    };
  }

  function ask(text) {
    var q = String(text || "").trim();
    if (!q || busy) return;
    var limit = info.max_question_chars || 500;
    closeList();
    input.value = "";
    if (q.length > limit) {
      append(renderError(t("errTooLong").replace("{n}", limit)));
      return;
    }
    busy = true;
    var user = { role: "user", text: q };
    state.messages.push(user);
    saveState();
    append(renderUser(user));
    var typing = el("div", { class: "msg bot typing", role: "status" }, [el("span", { class: "dots", text: t("typing") })]);
    append(typing);
    var body = { question: q, session: state.session, channel: "web" };
    if (REGION) body.region = REGION;
    request("/api/ask", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
      .then(function (r) {
        if (r.status === 429) {
          var wait = r.headers.get("Retry-After") || "60";
          throw { shown: t("errRate").replace("{s}", wait) };
        }
        if (r.status === 413) throw { shown: t("errTooLong").replace("{n}", limit) };
        if (!r.ok) throw { shown: t("errServer") };
        return r.json();
      })
      .then(function (a) {
        var m = compact(a);
        state.messages.push(m);
        saveState();
        typing.remove();
        append(renderBot(m, state.messages.length - 1), true);
      })
      .catch(function (err) {
        typing.remove();
        append(renderError((err && err.shown) || t("errNet")));
      })
      .then(function () { busy = false; });
  }

  function loadIntro() {
    if (topics !== null) return Promise.resolve();
    topics = [];
    var faq = request("/api/faq").then(function (r) { return r.ok ? r.json() : []; })
      .then(function (list) { topics = Array.isArray(list) ? list : []; })
      .catch(function () { topics = []; });
    var inf = request("/api/info").then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (d) {
        if (d && d.max_question_chars) { info.max_question_chars = d.max_question_chars; input.maxLength = d.max_question_chars; }
        if (d && Array.isArray(d.regions)) info.regions = d.regions.map(String);
        if (d && d.site_name && UI_LANG === "zh" && !dataset.title) titleEl.textContent = d.site_name;
      })
      .catch(function () { /* defaults are fine */ });
    return Promise.all([faq, inf]).then(function () {
      var old = log.querySelector(".welcome");
      if (old) log.replaceChild(renderWelcome(), old);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Suggestions while typing: an ARIA combobox with a listbox.

  var suggestTimer = 0;
  var suggestAbort = null;
  var active = -1;

  function closeList() {
    listbox.hidden = true;
    listbox.textContent = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function showList(items) {
    listbox.textContent = "";
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!items.length) { closeList(); return; }
    items.forEach(function (s, i) {
      var li = el("li", { id: "zwgk-opt-" + i, role: "option", "aria-selected": "false", text: s });
      li.addEventListener("mousedown", function (e) { e.preventDefault(); });
      li.addEventListener("click", function () { ask(s); });
      listbox.appendChild(li);
    });
    listbox.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function move(delta) {
    var items = listbox.querySelectorAll("li");
    if (!items.length) return;
    active = (active + delta + items.length) % items.length;
    Array.prototype.forEach.call(items, function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    input.setAttribute("aria-activedescendant", items[active].id);
    items[active].scrollIntoView({ block: "nearest" });
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q) { closeList(); return; }
    if (suggestAbort) suggestAbort.abort();
    suggestAbort = window.AbortController ? new AbortController() : null;
    request("/api/suggest?q=" + encodeURIComponent(q), suggestAbort ? { signal: suggestAbort.signal } : {})
      .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
      .then(function (d) {
        if (input.value.trim() !== q || document.activeElement !== host || shadow.activeElement !== input) return;
        showList((d.suggestions || []).map(String).filter(function (s) { return s && s !== q; }).slice(0, 8));
      })
      .catch(function () { /* aborted or offline: no suggestions */ });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(suggestTimer);
    suggestTimer = window.setTimeout(fetchSuggestions, SUGGEST_DELAY_MS);
  });

  input.addEventListener("keydown", function (e) {
    var open = !listbox.hidden;
    if (e.key === "ArrowDown" && open) { e.preventDefault(); move(1); }
    else if (e.key === "ArrowUp" && open) { e.preventDefault(); move(-1); }
    else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      ask(listbox.querySelectorAll("li")[active].textContent);
    } else if (e.key === "Escape" && open) {
      e.preventDefault();
      e.stopPropagation();
      closeList();
    }
  });

  input.addEventListener("blur", function () { window.setTimeout(closeList, 150); });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    window.clearTimeout(suggestTimer);
    ask(input.value);
  });

  // ---------------------------------------------------------------------------------------------
  // Opening, closing, keyboard.

  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    root.classList.toggle("open", open);
    launcher.setAttribute("aria-expanded", open ? "true" : "false");
    launcher.setAttribute("aria-label", open ? t("launcherClose") : t("launcherLabel"));
    state.open = open;
    saveState();
    if (open) {
      loadIntro();
      if (moveFocus) input.focus();
    } else {
      closeList();
      if (moveFocus) launcher.focus();
    }
  }

  launcher.addEventListener("click", function () { setOpen(panel.hidden, true); });
  closeBtn.addEventListener("click", function () { setOpen(false, true); });
  newBtn.addEventListener("click", function () {
    state = { session: newSessionId(), messages: [], open: true };
    saveState();
    renderAll();
    input.value = "";
    input.focus();
  });
  largeBtn.addEventListener("click", function () {
    var on = !root.classList.contains("large");
    setLarge(on);
    saveLarge(on);
  });

  root.addEventListener("keydown", function (e) {
    if (panel.hidden) return;
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false, true);
      return;
    }
    // Full-screen on a phone: keep Tab inside the panel, since the page behind is covered.
    if (e.key === "Tab" && window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
      var focusables = panel.querySelectorAll("button:not([disabled]), input, summary, [tabindex='0']");
      if (!focusables.length) return;
      var first = focusables[0], last = focusables[focusables.length - 1];
      if (e.shiftKey && shadow.activeElement === first) { e.preventDefault(); last.focus(); }
      else if (!e.shiftKey && shadow.activeElement === last) { e.preventDefault(); first.focus(); }
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Start.

  function start() {
    (document.body || document.documentElement).appendChild(host);
    setLarge(loadLarge());
    renderAll();
    if (state.open) setOpen(true, false);
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
