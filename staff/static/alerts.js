// Browser notifications on every console page (the Notification API): a visitor waiting
// for a live chat, or a new safety route, shows on the staff member's screen even when
// the console's tab is in the background. Off until the staff member turns it on
// ("Notify me on this computer" on the Live page: browsers ask only after a click).
// Notifications say what happened, never what a visitor wrote.
(function () {
  "use strict";
  var EVERY_MS = 4000, KEY = "clinic-console-notify";
  var supported = "Notification" in window;
  var button = document.getElementById("notify-on");
  var state = document.getElementById("notify-state");
  var CHANNELS = {socketio: "the website chat", rest: "the app", telegram: "Telegram",
                  slack: "Slack", facebook: "Messenger", twilio: "SMS or WhatsApp"};

  function wanted() {
    try { return localStorage.getItem(KEY) === "on"; } catch (e) { return false; }
  }
  function on() { return supported && Notification.permission === "granted" && wanted(); }
  function describe() {
    if (!state) return;
    if (!supported) state.textContent = "This browser can't show notifications.";
    else if (Notification.permission === "denied") state.textContent = "Notifications are blocked for this site in the browser's settings.";
    else state.textContent = on() ? "Notifications are on for this computer." : "";
    if (button) {
      button.hidden = !supported || Notification.permission === "denied";
      button.textContent = on() ? "Turn notifications off" : "Notify me on this computer";
    }
  }
  if (button) {
    button.addEventListener("click", function () {
      if (on()) { localStorage.setItem(KEY, "off"); describe(); return; }
      Notification.requestPermission().then(function (permission) {
        if (permission === "granted") localStorage.setItem(KEY, "on");
        describe();
      });
    });
  }
  describe();

  function notify(title, body, tag, href) {
    var shown = new Notification(title, {body: body, tag: tag});
    shown.onclick = function () { window.focus(); window.location.href = href; };
    document.body.setAttribute("data-notified", String(Date.now()));
  }

  var seenChats = null, seenSafety = null;
  function check() {
    fetch("/staff/api/alerts.json", {credentials: "same-origin",
                                     headers: {"Accept": "application/json"}})
      .then(function (reply) { return reply.ok ? reply.json() : Promise.reject(reply.status); })
      .then(function (found) {
        var ids = found.waiting.map(function (c) { return c.sender + "@" + c.waiting_s; });
        var senders = found.waiting.map(function (c) { return c.sender; });
        if (seenChats !== null && on()) {
          found.waiting.forEach(function (chat) {
            if (seenChats.indexOf(chat.sender) < 0) {
              notify("A visitor is waiting for a live chat",
                     "On " + (CHANNELS[chat.channel] || "a chat") + ". Take it on the Live chat page.",
                     "chat-" + chat.sender, "/staff/live");
            }
          });
          if (seenSafety !== null && found.newest_safety > seenSafety) {
            notify("A new safety route to review",
                   found.unreviewed_safety + " not yet reviewed in the safety log.",
                   "safety-" + found.newest_safety, "/staff/safety");
          }
        }
        seenChats = senders;
        seenSafety = found.newest_safety;
        return ids;
      })
      .catch(function () {});
  }
  check();
  setInterval(check, EVERY_MS);
})();
