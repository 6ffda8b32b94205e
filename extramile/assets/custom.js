// Extra Mile, in the participant's browser: say at once when the connection to the room's
// server is lost, never let "Saved 09:42" stand beside text typed after that save, and give
// every field a name a screen reader can say. Solara loads this file on every page of the app.
(function () {
  "use strict";
  var LOST = "Connection lost: your text is not saved yet. Keep this page open; it reconnects by itself.";

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

  var wasConnected = false;
  function watchConnection() {
    var status = window.solara && window.solara.debug && window.solara.debug.connectionStatus;
    if (status === "connected") {
      wasConnected = true;
    }
    var lost = wasConnected && status && status !== "connected";
    var element = banner();
    if (lost && element.textContent !== LOST) {
      element.textContent = LOST;
    } else if (!lost && element.textContent) {
      element.textContent = "";
    }
  }
  setInterval(watchConnection, 250);

  // Typing marks the card's confirmation as stale ("Not saved yet") until its Save is pressed;
  // the server's next status line (saved, or what is missing) replaces both.
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
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button");
    if (button && /sign out/i.test(button.textContent)) {
      forgetDrafts(function () { return true; });
    }
    var card = button && button.closest(".em-card");
    if (card && /save/i.test(button.textContent)) {
      card.classList.remove("em-dirty");
      card.querySelectorAll(".em-unsaved").forEach(function (note) { note.remove(); });
    }
  }, true);

  // Text typed but not yet saved survives a reload of the same tab (sessionStorage: this tab only,
  // gone when it closes or its participant signs out), and goes once the server confirms a save.
  var DRAFT = "em-draft:";
  function draftKey(area) {
    var card = area.closest(".em-card");
    if (!card) {
      return null;
    }
    var title = card.querySelector("h3");
    var index = Array.prototype.indexOf.call(card.querySelectorAll("textarea"), area);
    return DRAFT + location.pathname + "|" + (title ? title.textContent.trim() : "") + "|" + index;
  }
  function forgetDrafts(which) {
    Object.keys(sessionStorage).filter(function (key) {
      return key.indexOf(DRAFT) === 0 && which(key);
    }).forEach(function (key) { sessionStorage.removeItem(key); });
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
      } else if (draft && !area.value && !area.dataset.emDraftBack) {
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
    document.querySelectorAll(".em-status-line:not([aria-live])").forEach(function (line) {
      line.setAttribute("role", "status");
      line.setAttribute("aria-live", "polite");
    });
  }
  var pending = false;
  new MutationObserver(function () {
    if (!pending) {
      pending = true;
      requestAnimationFrame(function () { pending = false; nameEverything(); keepDrafts(); keepRoles(); });
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
