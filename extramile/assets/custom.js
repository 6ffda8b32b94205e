// Extra Mile, in the participant's browser: say within seconds when the room's server stops answering
// and reconnect by itself when it is back, say why a page is slow to come when a crowd arrives, never
// let "Saved 09:42" stand beside text typed after that save, keep unsaved text across a reload but never
// for the next person, collect the session cookie a sign-in hands over, let Enter submit a form, and
// give every field a name a screen reader can say.
// Solara loads this file on every page of the app.
(function () {
  "use strict";
  var LOST = "Connection lost: your text is not saved yet. Keep this page open; it reconnects by itself.";
  var ROOT = (window.solara && window.solara.rootPath) || "";

  function banner() {
    var element = document.getElementById("em-connection");
    if (!element) {
      element = document.createElement("div");
      element.id = "em-connection";
      element.setAttribute("role", "alert");
      element.className = "em-connection";
      document.body.appendChild(element);
    }
    return element;
  }

  // The connection: Solara's socket status, and a heartbeat. A frozen server keeps the socket open
  // without answering, so only a request that must come back tells; a restarted one is asked again
  // at once instead of at the socket's next back-off (which grows to a minute, then gives up).
  var BEAT_EVERY = 1000, BEAT_WAIT = 2000, RECONNECT_EVERY = 3000;
  var wasConnected = false, beatFailed = false, lastReconnect = 0;
  function socketStatus() {
    return window.solara && window.solara.debug && window.solara.debug.connectionStatus;
  }
  function watchConnection() {
    var status = socketStatus();
    if (status === "connected") {
      wasConnected = true;
    }
    var lost = beatFailed || (wasConnected && status && status !== "connected");
    var element = banner();
    if (lost && element.textContent !== LOST) {
      element.textContent = LOST;
    } else if (!lost && element.textContent) {
      element.textContent = "";
    }
  }
  function reconnectIfBack() {
    var debug = window.solara && window.solara.debug;
    if (beatFailed || !wasConnected || socketStatus() === "connected" || !debug || !debug.kernel ||
        Date.now() - lastReconnect < RECONNECT_EVERY) {
      return;
    }
    lastReconnect = Date.now();
    try {
      debug.kernel().reconnect().catch(function () {});
    } catch (error) {
      // the connection was given up for good: Solara asks for a reload itself
    }
  }
  function heartbeat() {
    if (document.visibilityState === "hidden") {
      setTimeout(heartbeat, BEAT_EVERY);
      return;
    }
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, BEAT_WAIT);
    fetch(ROOT + "/_extramile/alive", {cache: "no-store", credentials: "omit", signal: controller.signal})
      .then(function (answer) { beatFailed = !answer.ok; }, function () { beatFailed = true; })
      .then(function () {
        clearTimeout(timer);
        watchConnection();
        reconnectIfBack();
        setTimeout(heartbeat, BEAT_EVERY);
      });
  }
  setInterval(watchConnection, 250);
  heartbeat();

  // A crowd arriving at once: the server builds pages in the order they were asked for, so a page may
  // take a while to come. Say so, rather than leave a bare loading bar, until the page shows: the tab
  // is connected and keeps its place, and reloading would only send it to the back.
  var ARRIVING = "Many people are opening the workshop at once: your page is on its way. " +
    "Keep this tab open; you keep your place.";
  var SAY_AFTER = 3000, openedAt = Date.now();
  var arrival = setInterval(function () {
    var notice = document.getElementById("em-arriving");
    if (document.querySelector(".em-page")) {
      if (notice) {
        notice.remove();
      }
      clearInterval(arrival);
    } else if (!notice && Date.now() - openedAt > SAY_AFTER) {
      notice = document.createElement("p");
      notice.id = "em-arriving";
      notice.className = "em-arriving";
      notice.setAttribute("role", "status");
      notice.textContent = ARRIVING;
      document.body.appendChild(notice);
    }
  }, 250);

  // Typing marks the card's confirmation as stale ("Not saved yet") until the server answers with a
  // new status line (every one carries a new number): pressing Save is not yet being saved.
  var UNSAVED = "Not saved yet";
  document.addEventListener("input", function (event) {
    var card = event.target.closest && event.target.closest(".em-card");
    if (!card) {
      return;
    }
    card.classList.add("em-dirty");
    card.querySelectorAll(".em-status.em-ok").forEach(function (saved) {
      var next = saved.nextElementSibling;
      if (!next || !next.classList.contains("em-unsaved")) {
        var note = document.createElement("span");
        note.className = "em-status em-warn em-unsaved";
        note.textContent = UNSAVED;
        saved.insertAdjacentElement("afterend", note);
      }
    });
  }, true);
  function followStatusLines() {
    document.querySelectorAll(".em-card").forEach(function (card) {
      var line = card.querySelector(".em-status[data-n]");
      var number = line ? line.getAttribute("data-n") : "";
      if (card.dataset.emStatus !== number) {
        card.dataset.emStatus = number;
        card.classList.remove("em-dirty");
      }
    });
  }
  function forgetDirty() {
    document.querySelectorAll(".em-dirty").forEach(function (card) { card.classList.remove("em-dirty"); });
    document.querySelectorAll(".em-unsaved").forEach(function (note) { note.remove(); });
  }

  // Enter (a phone's Go key) in a form's field presses its button. The field is left first, so its
  // value is sent before the press (fields send their value on leaving, not keystroke by keystroke).
  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if ((event.key !== "Enter" && event.keyCode !== 13) || event.isComposing || !field.matches ||
        !field.matches("input")) {
      return;
    }
    var form = field.closest(".em-form");
    var button = form && form.querySelector("button.em-submit");
    if (!button || button.disabled) {
      return;
    }
    event.preventDefault();
    field.blur();
    button.click();
    field.focus();
  }, true);

  // Who is behind this tab: the server's hidden marker names them by a label (never the session id),
  // gives the tab's token, and after a sign-in or sign-out here a ticket to trade for the session
  // cookie. When the person changes, every unsaved draft of this tab goes; the other tabs of this
  // browser hear of it, drop theirs, and ask the server to look at the browser's cookie again.
  var PERSON = "em-person", DRAFT = "em-draft:";
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("extramile-person") : null;
  var collected = {}, followPending = false;
  function marker() {
    return document.querySelector(".em-person");
  }
  function forgetDrafts(keep) {
    Object.keys(sessionStorage).filter(function (key) {
      return key.indexOf(DRAFT) === 0 && !(keep && key.indexOf(keep) === 0);
    }).forEach(function (key) { sessionStorage.removeItem(key); });
  }
  function keepDraftsOf(before, now) {
    Object.keys(sessionStorage).filter(function (key) { return key.indexOf(DRAFT + before + "|") === 0; })
      .forEach(function (key) {
        sessionStorage.setItem(DRAFT + now + "|" + key.slice((DRAFT + before + "|").length), sessionStorage.getItem(key));
        sessionStorage.removeItem(key);
      });
  }
  function collect(element, attempt) {
    var ticket = element.getAttribute("data-ticket");
    if (!ticket || (collected[ticket] && !attempt)) {
      return;
    }
    collected[ticket] = true;
    fetch(ROOT + "/_extramile/cookie", {method: "POST", body: ticket, credentials: "same-origin", cache: "no-store"})
      .then(function (answer) {
        if (answer.ok && channel && element.classList.contains(PERSON)) {
          channel.postMessage("changed");
        }
      }, function () {
        if ((attempt || 0) < 5) {
          setTimeout(function () { collect(element, (attempt || 0) + 1); }, 1000);
        }
      });
  }
  function follow() {
    var found = marker();
    if (!found || !found.getAttribute("data-tab")) {
      followPending = true;
      return;
    }
    followPending = false;
    fetch(ROOT + "/_extramile/follow", {method: "POST", body: found.getAttribute("data-tab"),
                                        credentials: "same-origin", cache: "no-store"}).catch(function () {});
  }
  if (channel) {
    channel.onmessage = function () {
      forgetDrafts();
      forgetDirty();
      follow();
    };
  }
  function watchPerson() {
    var found = marker();
    if (found) {
      var now = found.getAttribute("data-person") || "", before = sessionStorage.getItem(PERSON);
      var ticket = found.getAttribute("data-ticket");
      if (before !== null && before !== now) {
        if (before === "" && ticket && !collected[ticket]) {
          keepDraftsOf(before, now);  // signed in here: what was typed signed out is still theirs
        } else {
          forgetDrafts(DRAFT + now + "|");
        }
        forgetDirty();
      }
      sessionStorage.setItem(PERSON, now);
      if (followPending) {
        follow();
      }
    }
    document.querySelectorAll("[data-ticket]").forEach(function (element) { collect(element); });
  }

  // Text typed but not yet saved survives a reload of the same tab (sessionStorage: this tab only,
  // gone when it closes or the person behind it changes), and goes once the server confirms a save.
  function draftKey(area) {
    var card = area.closest(".em-card"), found = marker();
    if (!card || !found) {
      return null;
    }
    var title = card.querySelector("h3");
    var index = Array.prototype.indexOf.call(card.querySelectorAll("textarea"), area);
    return DRAFT + (found.getAttribute("data-person") || "") + "|" + location.pathname + "|" +
      (title ? title.textContent.trim() : "") + "|" + index;
  }
  document.addEventListener("input", function (event) {
    var key = event.target.tagName === "TEXTAREA" && draftKey(event.target);
    if (key) {
      sessionStorage.setItem(key, event.target.value);
    }
  }, true);
  function keepDrafts() {
    document.querySelectorAll(".em-card textarea").forEach(function (area) {
      var key = draftKey(area);
      var card = area.closest(".em-card");
      var saved = card.querySelector(".em-status.em-ok") && !card.classList.contains("em-dirty");
      var draft = key && sessionStorage.getItem(key);
      if (saved && draft !== null && area.value === draft) {
        sessionStorage.removeItem(key);
      } else if (draft !== null && draft !== area.value && !area.dataset.emDraftBack) {
        area.dataset.emDraftBack = "1";
        area.value = draft;
        area.dispatchEvent(new Event("input", {bubbles: true}));
        area.dispatchEvent(new Event("change", {bubbles: true}));
      }
    });
  }

  // A role-play's role survives a reload of the tab as well (the same sessionStorage), so the
  // card a participant was reading comes back; once the reflection is saved, the role is in it.
  function roleKey(card) {
    var title = card.querySelector("h3");
    return DRAFT + location.pathname + "|" + (title ? title.textContent.trim() : "") + "|role";
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".em-roleplay .widget-toggle-button");
    if (button) {
      sessionStorage.setItem(roleKey(button.closest(".em-roleplay")), button.textContent.trim());
    }
  }, true);
  function keepRoles() {
    document.querySelectorAll(".em-roleplay").forEach(function (card) {
      var picked = sessionStorage.getItem(roleKey(card));
      var buttons = card.querySelectorAll(".widget-toggle-button");
      if (!picked || !buttons.length || card.dataset.emRoleBack || card.querySelector(".widget-toggle-button.mod-active")) {
        return;
      }
      card.dataset.emRoleBack = "1";
      buttons.forEach(function (button) {
        if (button.textContent.trim() === picked) {
          button.click();
        }
      });
    });
  }

  // Every field gets the name a sighted participant reads beside it: the habit on its row, the
  // label or prompt above it in its card, else the card's title. ipywidgets draws those as
  // separate text, so a screen reader would otherwise meet "edit text, blank". Confirmations
  // ("Saved 09:42") sit in polite live regions, so they are announced.
  document.documentElement.lang = document.documentElement.lang || "en";
  var FIELDS = ".em-app textarea, .em-app input, .em-app select, .em-app [role=slider]";

  function hasName(field) {
    if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby") || field.closest("label")) {
      return true;
    }
    var label = field.id && document.querySelector('label[for="' + CSS.escape(field.id) + '"]');
    return Boolean(label && label.textContent.trim());
  }

  function textAbove(field) {
    var row = field.closest(".em-habit-row");
    var habit = row && row.querySelector(".em-habit b");
    if (habit) {
      return habit.textContent;
    }
    for (var node = field; node && !(node.classList && node.classList.contains("em-card")); node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        var text = before.matches(".em-label, .em-prompt, h3") ? before : before.querySelector(".em-label, .em-prompt, h3");
        if (text && text.textContent.trim()) {
          return text.textContent;
        }
      }
    }
    var card = field.closest(".em-card");
    var title = card && card.querySelector("h3");
    return title ? title.textContent : field.getAttribute("placeholder") || "";
  }

  function nameEverything() {
    document.querySelectorAll(FIELDS).forEach(function (field) {
      if (field.type !== "hidden" && !hasName(field)) {
        var name = textAbove(field).trim().replace(/\s+/g, " ").slice(0, 160);
        if (name) {
          field.setAttribute("aria-label", name);
        }
      }
    });
    // Solara's bar at the top of the page, shown while the server works on something for a moment
    document.querySelectorAll("[role=progressbar]:not([aria-label])").forEach(function (bar) {
      bar.setAttribute("aria-label", "Working on it");
    });
    document.querySelectorAll(".em-status-line:not([aria-live])").forEach(function (line) {
      line.setAttribute("role", "status");
      line.setAttribute("aria-live", "polite");
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        watchPerson();
        followStatusLines();
        nameEverything();
        keepDrafts();
        keepRoles();
      });
    }
  }).observe(document.documentElement, {childList: true, subtree: true, attributes: true,
                                          attributeFilter: ["data-person", "data-ticket"]});
})();
