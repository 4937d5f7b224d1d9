// The clinic's chat widget: the deep-chat web component over socket.io-client, joined to
// Rasa's socket.io channel (rasa_ext/channels/guarded.py). This script owns what the
// clinic needs and the libraries leave open: the chat token on connect, the launcher and
// window (a labelled dialog region, Escape closes it), the conversation restored from
// Rasa on connect, buttons and 👍/👎 with text labels, staff shown by name and at once,
// the bot's bubbles paced by a short capped pause, typing both ways in a live chat, and
// new messages announced to screen readers. Message text is shown by deep-chat as
// escaped markdown; the little HTML built here (buttons, staff bubbles) escapes every
// value it is given.
(function () {
  "use strict";
  var root = document.getElementById("clinic-chat");
  if (!root) return;
  var RASA_URL = root.getAttribute("data-rasa-url");
  var TITLE = root.getAttribute("data-title") || "Chat";
  var SUBTITLE = root.getAttribute("data-subtitle") || "";
  var PLACEHOLDER = root.getAttribute("data-placeholder") || "Type a message";
  var OPEN_KEY = "clinic-chat-open";
  // The pause before each further bubble of a bot reply: long enough to read it as a
  // new message, never the seconds a typing animation took (docs/widget.md).
  var PAUSE_MIN_MS = 250, PAUSE_PER_CHAR_MS = 3, PAUSE_MAX_MS = 800;
  var TYPING_SHOWN_MS = 4000, TYPING_SENT_EVERY_MS = 2500;
  var FEEDBACK_LABELS = {"/feedback_up": "Helpful", "/feedback_down": "Not helpful"};

  function escapeHTML(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"}[c];
    });
  }
  // Bare addresses in the bot's text (the planner's calendar link) become markdown links,
  // which deep-chat draws; an address already inside a markdown link is left alone.
  function linkify(text) {
    return String(text).replace(/(^|\s)(https?:\/\/[^\s<>()]*[^\s<>().,;:!?])/g, "$1[$2]($2)");
  }
  function element(tag, attributes, text) {
    var el = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (k) { el.setAttribute(k, attributes[k]); });
    if (text) el.textContent = text;
    return el;
  }

  // --- The launcher and the window -------------------------------------------------
  var launcher = element("button", {type: "button", "class": "chat-launcher",
    "aria-expanded": "false", "aria-controls": "chat-window"});
  launcher.appendChild(element("span", {"aria-hidden": "true"}, "💬"));
  launcher.appendChild(element("span", {"class": "chat-launcher-label"}, "Chat with us"));
  var win = element("section", {id: "chat-window", "class": "chat-window",
    "aria-labelledby": "chat-title"});
  win.hidden = true;
  var header = element("div", {"class": "chat-header"});
  header.appendChild(element("h2", {id: "chat-title", "class": "chat-title"}, TITLE));
  var subtitle = element("p", {"class": "chat-subtitle"}, SUBTITLE);
  header.appendChild(subtitle);
  var close = element("button", {type: "button", "class": "chat-close",
    "aria-label": "Close the chat"}, "×");
  header.appendChild(close);
  win.appendChild(header);
  var status = element("p", {"class": "chat-status", role: "status"});
  win.appendChild(status);
  var chat = document.createElement("deep-chat");
  // Any font but deep-chat's default keeps it from loading Inter from Google Fonts:
  // nothing is fetched from a third party, and the page's own font is used.
  chat.style.fontFamily = "system-ui, -apple-system, 'Segoe UI', sans-serif";
  chat.style.fontSize = "15px";
  win.appendChild(chat);
  var announcer = element("div", {"class": "visually-hidden", "aria-live": "polite",
    "aria-label": "New messages"});
  win.appendChild(announcer);
  root.appendChild(win);
  root.appendChild(launcher);

  function setOpen(open, focus) {
    win.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    root.classList.toggle("is-open", open);
    try { localStorage.setItem(OPEN_KEY, open ? "1" : "0"); } catch (e) { /* private mode */ }
    if (open && focus && chat.focusInput) chat.focusInput();
    if (!open && focus) launcher.focus();
  }
  launcher.addEventListener("click", function () { setOpen(win.hidden, true); });
  close.addEventListener("click", function () { setOpen(false, true); });
  win.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false, true);
  });

  // --- deep-chat's look: contrast-checked colours, staff distinct from the bot -------
  var BRAND = "#4b3f72";
  chat.setAttribute("aria-label", "Conversation");
  chat.style.width = "100%";
  chat.style.height = "100%";
  chat.style.border = "0";
  chat.textInput = {placeholder: {text: PLACEHOLDER}, characterLimit: 1000,
    styles: {container: {border: "1px solid #767676"}}};
  // Beside the text box, not inside it: deep-chat's inside position is for an icon, and a
  // "Send" label there covered the box's right end.
  chat.submitButtonStyles = {
    position: "outside-end",
    submit: {container: {default: {backgroundColor: BRAND, borderRadius: "6px",
      padding: "6px 10px"}}, text: {content: "Send", styles: {default: {color: "#fff"}}}},
    disabled: {container: {default: {backgroundColor: "#6b6b6b", borderRadius: "6px",
      padding: "6px 10px"}}, text: {content: "Send", styles: {default: {color: "#fff"}}}}
  };
  chat.names = {ai: {text: "Assistant"}, user: {text: "You"}, staff: {text: "Clinic team"}};
  chat.messageStyles = {
    default: {
      shared: {bubble: {maxWidth: "85%", lineHeight: "1.45"}},
      ai: {bubble: {backgroundColor: "#f1f0f5", color: "#1f1d2b"}},
      user: {bubble: {backgroundColor: BRAND, color: "#fff"}},
      staff: {bubble: {backgroundColor: "#e6f4ea", color: "#12361f",
        border: "2px solid #2e7d4f"}}
    },
    html: {
      ai: {bubble: {backgroundColor: "transparent", padding: "0"}},
      // An HTML bubble has no padding of its own: the name and text would touch the border.
      staff: {bubble: {backgroundColor: "#e6f4ea", color: "#12361f",
        border: "2px solid #2e7d4f", padding: "8px 12px"}}
    }
  };
  chat.remarkable = {html: false, linkTarget: "_blank", breaks: true};
  chat.auxiliaryStyle = [
    ".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;",
    "clip:rect(0 0 0 0);white-space:nowrap}",
    ".clinic-replies{display:flex;flex-wrap:wrap;gap:6px}",
    ".clinic-reply{font:inherit;padding:6px 10px;border-radius:16px;cursor:pointer;",
    "border:1px solid " + BRAND + ";background:#fff;color:" + BRAND + "}",
    ".clinic-reply:focus-visible,#text-input:focus-visible{outline:3px solid #1a73e8;",
    "outline-offset:2px}",
    ".clinic-staff-name{display:block;font-weight:700;color:#1e5e38;font-size:.85em}",
    ".clinic-staff-text{white-space:pre-wrap;overflow-wrap:anywhere}",
    "a{color:#3b2f8f}",
    // The text box takes the width the Send button leaves; the button sits in the row
    // beside it, centred on it, instead of floating over the box's end (deep-chat places
    // its buttons absolutely, sized for an icon).
    "#input{align-items:center;padding:0 12px;box-sizing:border-box}",
    "#text-input-container{flex:1 1 auto;width:auto;min-width:0}",
    ".outer-button-container.text-input-container-end-adjustment{margin-inline-end:0}",
    ".input-button.outside-end{position:static;scale:none;margin:0 0 0 8px}"
  ].join("");

  // --- What is shown ---------------------------------------------------------------
  var queue = [], pacing = false, shownCount = 0;

  function announce(text) {
    var line = element("p", {}, text);
    announcer.appendChild(line);
    while (announcer.childNodes.length > 5) announcer.removeChild(announcer.firstChild);
  }
  function buttonsHTML(buttons) {
    return "<div class=\"clinic-replies\" role=\"group\" aria-label=\"Suggested replies\">" +
      buttons.map(function (b) {
        var label = FEEDBACK_LABELS[b.payload];
        var inner = label
          ? "<span aria-hidden=\"true\">" + escapeHTML(b.title) + "</span>" +
            "<span class=\"visually-hidden\">" + escapeHTML(label) + "</span>"
          : escapeHTML(b.title);
        return "<button type=\"button\" class=\"clinic-reply\" data-payload=\"" +
          escapeHTML(b.payload) + "\" data-title=\"" + escapeHTML(b.title) + "\">" + inner +
          "</button>";
      }).join("") + "</div>";
  }
  // deep-chat follows a new bot or staff message only when the list was scrolled to its
  // very end, and then scrolls by the message's offsetTop, which stops short of a staff
  // bubble: bring each new message into view here, its start first if it is a long one.
  function messageList() {
    return chat.shadowRoot && chat.shadowRoot.getElementById("messages");
  }
  function messageCount() {
    var list = messageList();
    return list ? list.querySelectorAll(".outer-message-container").length : 0;
  }
  function reveal(index) {
    setTimeout(function () {
      var list = messageList();
      var first = list && list.querySelectorAll(".outer-message-container")[index];
      if (!first) return;
      var top = first.getBoundingClientRect().top - list.getBoundingClientRect().top;
      list.scrollTop = Math.min(list.scrollTop + top, list.scrollHeight - list.clientHeight);
    });
  }
  function show(message) {
    var firstNew = messageCount();
    if (message.from === "staff") {
      var name = message.name || "The clinic team";
      chat.addMessage({role: "staff", html: "<span class=\"clinic-staff-name\">" +
        escapeHTML(name) + "</span><span class=\"clinic-staff-text\">" +
        escapeHTML(message.text) + "</span>"});
      announce(name + ": " + message.text);
      clearTyping();
    } else if (message.from === "visitor") {
      chat.addMessage({role: "user", text: message.text});
    } else {
      if (message.text) chat.addMessage({role: "ai", text: linkify(message.text)});
      if (message.buttons && message.buttons.length) {
        chat.addMessage({role: "ai", html: buttonsHTML(message.buttons)});
      }
      if (message.text) announce("Assistant: " + message.text.replace(/[*_`]/g, ""));
    }
    if (message.from !== "visitor") reveal(firstNew);  // after deep-chat's own scroll
    shownCount += 1;
    root.setAttribute("data-shown", String(shownCount));
  }
  function pauseAfter(message) {
    var chars = (message.text || "").length;
    return Math.min(PAUSE_MAX_MS, PAUSE_MIN_MS + chars * PAUSE_PER_CHAR_MS);
  }
  function showNext() {
    if (!queue.length) { pacing = false; return; }
    pacing = true;
    var message = queue.shift();
    show(message);
    setTimeout(showNext, pauseAfter(message));
  }
  // The visitor is about to write: show what is still waiting at once, so the bot's
  // bubbles never land under the visitor's next message.
  function flush() {
    while (queue.length) show(queue.shift());
  }
  function receive(message) {
    if (message.from === "staff") { show(message); return; }  // a person: never held back
    queue.push(message);
    if (!pacing) showNext();
  }

  // --- Typing, both ways, only while a person has the chat ---------------------------
  var withStaff = false, typingTimer = null, lastTypingSent = 0;
  function clearTyping() {
    status.textContent = "";
    if (typingTimer) clearTimeout(typingTimer);
  }
  function staffTyping(name) {
    status.textContent = (name || "The clinic team") + " is typing…";
    if (typingTimer) clearTimeout(typingTimer);
    typingTimer = setTimeout(clearTyping, TYPING_SHOWN_MS);
  }
  chat.onInput = function (input) {
    if (input && input.isUser) flush();
    if (!withStaff || !input || !input.isUser) return;
    var now = Date.now();
    if (now - lastTypingSent < TYPING_SENT_EVERY_MS) return;
    lastTypingSent = now;
    fetch("/chat/typing", {method: "POST", credentials: "same-origin"}).catch(function () {});
  };

  // --- The connection ----------------------------------------------------------------
  var socket = null, sessionId = null, historyShown = false;

  function sendToBot(text) {
    if (socket && sessionId) {
      socket.emit("user_uttered", {message: text, session_id: sessionId});
    }
  }
  chat.htmlClassUtilities = {
    "clinic-reply": {events: {click: function (event) {
      var button = event.target && event.target.closest
        ? event.target.closest(".clinic-reply") : event.target;
      if (!button) return;
      flush();
      chat.addMessage({role: "user", text: button.getAttribute("data-title")});
      sendToBot(button.getAttribute("data-payload"));
    }}}
  };
  chat.connect = {websocket: true, handler: function (_, signals) {
    signals.onOpen();
    signals.newUserMessage.listener = function (body) {
      var sent = body && body.messages && body.messages[0];
      if (sent && sent.text) sendToBot(sent.text);
    };
  }};

  function connect(token) {
    socket = io(RASA_URL, {path: "/socket.io/", auth: {token: token}});
    socket.on("connect", function () {
      socket.emit("session_request", {session_id: sessionId});
    });
    socket.on("session_confirm", function (confirmed) {
      sessionId = typeof confirmed === "string" ? confirmed : sessionId;
    });
    socket.on("session_history", function (history) {
      if (historyShown) return;  // a reconnect: what it missed is not re-sent
      historyShown = true;
      if (!history || !history.length) { sendToBot("/greet"); return; }
      history.forEach(show);
      var last = history[history.length - 1];
      withStaff = last.from === "staff";
    });
    socket.on("bot_uttered", function (data) {
      var meta = (data && data.metadata) || {};
      var buttons = (data.quick_replies || data.buttons || []).map(function (b) {
        return {title: String(b.title || ""), payload: String(b.payload || "")};
      });
      if (meta.from === "staff") withStaff = true;
      receive({from: meta.from === "staff" ? "staff" : "bot", name: meta.name,
               text: data.text || "", buttons: buttons});
    });
    socket.on("handoff_state", function (state) {
      withStaff = !!state && state.state === "with_staff";
      if (!withStaff) clearTyping();
    });
    socket.on("staff_typing", function (data) { staffTyping(data && data.name); });
  }

  // A phone turned, or a window resized: keep the newest message in view.
  window.addEventListener("resize", function () {
    if (chat.scrollToBottom) chat.scrollToBottom();
  });

  var opened = false;
  try { opened = localStorage.getItem(OPEN_KEY) === "1"; } catch (e) { opened = false; }
  setOpen(opened, false);

  customElements.whenDefined("deep-chat").then(function () {
    return fetch("/chat/session", {method: "POST", credentials: "same-origin",
                                   cache: "no-store"});
  }).then(function (reply) {
    return reply.ok ? reply.json() : Promise.reject(reply.status);
  }).then(function (session) {
    sessionId = session.session_id;
    connect(session.token);
    root.setAttribute("data-ready", "true");
  }).catch(function () {
    var unavailable = document.getElementById("chat-unavailable");
    if (unavailable) unavailable.hidden = false;
  });
})();
