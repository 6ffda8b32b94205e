// Extra Mile, in the participant's browser: say at once when the connection to the room's
// server is lost, and never let "Saved 09:42" stand beside text typed after that save.
// Solara loads this file on every page of the app; it reads Solara's connection state and
// touches nothing else.
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
    var button = event.target.closest && event.target.closest(".em-card button");
    var card = button && button.closest(".em-card");
    if (card && /save/i.test(button.textContent)) {
      card.classList.remove("em-dirty");
      card.querySelectorAll(".em-unsaved").forEach(function (note) { note.remove(); });
    }
  }, true);
})();
