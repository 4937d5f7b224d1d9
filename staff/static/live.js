// The Live page (the queue) and one live chat. Polls the console's JSON routes; visitor
// text is only ever set as textContent, never parsed as HTML.
(function () {
  "use strict";
  var script = document.currentScript;
  var kind = script && script.getAttribute("data-page");
  var QUEUE_EVERY_MS = 2000, CHAT_EVERY_MS = 1000;

  function getJSON(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (reply) {
        if (reply.status === 401) { window.location.href = "/staff/login"; throw new Error("signed out"); }
        return reply.json();
      });
  }

  // A short two-tone chime through Web Audio: no sound file to serve. Browsers allow it
  // once the page has been clicked (the "Take live chats" button counts).
  var audio = null;
  function chime() {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      [880, 660].forEach(function (hz, i) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.frequency.value = hz; gain.gain.value = 0.15;
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(audio.currentTime + i * 0.18); osc.stop(audio.currentTime + i * 0.18 + 0.15);
      });
      document.body.setAttribute("data-chimed", String(Date.now()));
    } catch (e) { /* no audio on this device: the title and the highlight still show it */ }
  }

  var CHANNELS = {socketio: "Website chat", rest: "App (REST)", telegram: "Telegram",
                  slack: "Slack", facebook: "Messenger", twilio: "SMS or WhatsApp"};

  function minutes(seconds) {
    return seconds < 60 ? "just now" : Math.floor(seconds / 60) + " min";
  }

  function queuePage() {
    var seen = null;
    var unseen = [];  // arrived since staff last touched the page: highlighted until then
    document.addEventListener("click", function () { unseen = []; }, true);
    var template = document.getElementById("take-form");
    function item(chat, takeable, fresh) {
      var li = document.createElement("li");
      if (fresh) li.className = "new";
      var link = document.createElement("a");
      link.href = "/staff/live/" + encodeURIComponent(chat.sender);
      var where = CHANNELS[chat.channel] || chat.channel || "Chat";
      link.textContent = where + " visitor, waiting " + minutes(chat.waiting_s);
      li.appendChild(link);
      if (takeable && template) {
        var form = template.content.firstElementChild.cloneNode(true);
        form.action = "/staff/live/" + encodeURIComponent(chat.sender) + "/take";
        li.appendChild(form);
      }
      return li;
    }
    function fill(id, chats, takeable, fresh) {
      var list = document.getElementById(id);
      list.replaceChildren.apply(list, chats.map(function (c) {
        return item(c, takeable, fresh.indexOf(c.sender) >= 0);
      }));
      document.getElementById(id + "-empty").hidden = chats.length > 0;
    }
    function refresh() {
      getJSON("/staff/api/live.json").then(function (found) {
        var ids = found.waiting.map(function (c) { return c.sender; });
        var fresh = seen === null ? [] : ids.filter(function (id) { return seen.indexOf(id) < 0; });
        if (fresh.length && found.available) chime();
        seen = ids;
        unseen = unseen.concat(fresh).filter(function (id) { return ids.indexOf(id) >= 0; });
        fill("waiting", found.waiting, true, unseen);
        fill("mine", found.mine, false, []);
        document.getElementById("waiting-count").textContent = ids.length ? "(" + ids.length + ")" : "";
        document.getElementById("others").textContent =
          found.others ? found.others + " other chat(s) are with colleagues." : "";
        document.title = (ids.length ? "(" + ids.length + ") " : "") + "Live chat";
        // The hours began or ended while the page was open: show the page as it is now.
        var shown = document.querySelector("[data-open-now]");
        if (shown && (shown.getAttribute("data-open-now") === "yes") !== !!found.open_hours) {
          window.location.reload();
        }
      }).catch(function () {});
    }
    refresh();
    setInterval(refresh, QUEUE_EVERY_MS);
  }

  function chatPage() {
    var lines = document.getElementById("lines");
    var form = document.getElementById("reply");
    var state = document.getElementById("chat-state");
    var error = document.getElementById("reply-error");
    var sender = form.getAttribute("data-sender");
    var csrf = form.getAttribute("data-csrf");
    var count = parseInt(lines.getAttribute("data-count"), 10) || 0;
    var typing = document.getElementById("visitor-typing");
    var TYPING_SENT_EVERY_MS = 2500, lastTypingSent = 0;
    var base = "/staff/api/live/" + encodeURIComponent(sender) + "/lines?after=";
    function add(line) {
      var li = document.createElement("li");
      li.className = line.who;
      var when = document.createElement("span");
      when.className = "when";
      when.textContent = new Date(line.at * 1000).toISOString().slice(0, 16).replace("T", " ");
      li.appendChild(when);
      if (line.detail) {
        var detail = document.createElement("span");
        detail.className = "detail"; detail.textContent = " " + line.detail;
        li.appendChild(detail);
      }
      var text = document.createElement("div");
      text.className = "text"; text.textContent = line.text;
      li.appendChild(text);
      if (line.offered && line.offered.length) {
        var offered = document.createElement("p");
        offered.className = "offered";
        offered.textContent = "Buttons offered: " + line.offered.join(", ");
        li.appendChild(offered);
      }
      lines.appendChild(li);
      li.scrollIntoView({block: "nearest"});
    }
    function refresh() {
      getJSON(base + count).then(function (found) {
        if (found.lines.length && found.lines.some(function (l) { return l.who === "visitor"; })) chime();
        found.lines.forEach(add);
        count = found.count;
        var typingText = found.visitor_typing ? "The visitor is typing…" : "";
        if (typing.textContent !== typingText) typing.textContent = typingText;
        if (!found.open) {
          form.hidden = true;
          state.textContent = "This chat has ended: the assistant has the conversation.";
        }
      }).catch(function () {});
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var box = document.getElementById("reply-text");
      var text = box.value.trim();
      if (!text) return;
      error.textContent = "";
      fetch("/staff/live/" + encodeURIComponent(sender) + "/say", {
        method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRF-Token": csrf},
        body: JSON.stringify({text: text})
      }).then(function (reply) {
        return reply.json().then(function (body) {
          if (!reply.ok) { error.textContent = body.message || "Not sent."; return; }
          box.value = ""; refresh();
        });
      }).catch(function () { error.textContent = "Not sent: the console can't be reached."; });
    });
    var box = document.getElementById("reply-text");
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
    });
    // "Typing…" for the visitor: at most one signal every few seconds while staff type.
    box.addEventListener("input", function () {
      var now = Date.now();
      if (!box.value.trim() || now - lastTypingSent < TYPING_SENT_EVERY_MS) return;
      lastTypingSent = now;
      fetch("/staff/live/" + encodeURIComponent(sender) + "/typing", {
        method: "POST", credentials: "same-origin", headers: {"X-CSRF-Token": csrf}
      }).catch(function () {});
    });
    // A canned reply goes into the box at the cursor, to be changed or sent as it is.
    var insert = document.getElementById("canned-insert");
    if (insert) {
      insert.addEventListener("click", function () {
        var option = document.getElementById("canned").selectedOptions[0];
        if (!option) return;
        var text = option.getAttribute("data-text");
        var start = box.selectionStart, end = box.selectionEnd;
        box.value = box.value.slice(0, start) + text + box.value.slice(end);
        box.focus();
        box.selectionStart = box.selectionEnd = start + text.length;
        box.dispatchEvent(new Event("input"));
      });
    }
    setInterval(refresh, CHAT_EVERY_MS);
  }

  if (kind === "queue") queuePage();
  if (kind === "chat") chatPage();
})();
