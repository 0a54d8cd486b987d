/* The room's pages, kept live: plain JavaScript, no build step, no outside files.
   Everything on a page is readable without it; this only
   - listens to the server's event stream (data-events) and, on "changed", fetches the page's
     fragment (data-fragment) and puts it in #live, or reloads the page (data-reload);
     (held back while the person is filling in a form, so nothing they typed is lost);
   - counts the timer down between updates (elements with data-remaining and data-running="1");
   - takes a sign-in link's token, a stage key or the trainer's key out of the address bar;
   - on the replay page, keeps the reflection's time with the video. */
(function () {
  "use strict";
  var body = document.body;
  var eventsUrl = body.getAttribute("data-events");
  var fragmentUrl = body.getAttribute("data-fragment");
  var reloadOnChange = body.getAttribute("data-reload") === "1";

  if (window.history && window.history.replaceState) {
    if (location.pathname.indexOf("/link/") === 0) {
      window.history.replaceState(null, "", "/me");
    } else if (location.pathname === "/stage" && location.search) {
      window.history.replaceState(null, "", "/stage");
    } else if (location.pathname === "/trainer" && location.search) {
      window.history.replaceState(null, "", "/trainer");  // the trainer's key: out of the address bar
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function startTimers() {
    var now = Date.now();
    var timers = document.querySelectorAll("[data-remaining]");
    for (var i = 0; i < timers.length; i++) {
      timers[i].setAttribute("data-since", String(now));
    }
  }

  function tick() {
    var timers = document.querySelectorAll("[data-remaining][data-running='1']");
    var now = Date.now();
    for (var i = 0; i < timers.length; i++) {
      var el = timers[i];
      var left = parseFloat(el.getAttribute("data-remaining")) - (now - parseFloat(el.getAttribute("data-since"))) / 1000;
      left = Math.max(0, Math.ceil(left));
      el.textContent = Math.floor(left / 60) + ":" + pad(left % 60);
    }
  }

  var busy = false;
  var again = false;
  var held = false;
  var shown = null;  // the fragment last put in #live: the same again is not put back (nothing moves)

  // Someone is filling in a form on the page (an entry, the sheet): an update would wipe what they
  // typed or chose, so it waits until they send it or leave the field as it was.
  function editing() {
    var live = document.getElementById("live");
    if (!live) { return false; }
    var fields = live.querySelectorAll("textarea, input[type=text], input[type=radio], select");
    for (var i = 0; i < fields.length; i++) {
      var f = fields[i];
      if (f.type === "radio") {
        if (f.checked !== f.defaultChecked) { return true; }
      } else if (f.tagName === "SELECT") {
        for (var j = 0; j < f.options.length; j++) {
          if (f.options[j].selected !== f.options[j].defaultSelected) { return true; }
        }
      } else if (f.value !== f.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function refresh() {
    if (reloadOnChange) { location.reload(); return; }
    if (!fragmentUrl) { return; }
    if (editing()) { held = true; body.setAttribute("data-held", "1"); return; }
    held = false;
    body.removeAttribute("data-held");
    if (busy) { again = true; return; }
    busy = true;
    fetch(fragmentUrl, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) { location.reload(); return null; }
      return response.text();
    }).then(function (html) {
      if (html !== null && html !== shown) {
        var live = document.getElementById("live");
        if (live) { live.innerHTML = html; shown = html; startTimers(); }
      }
    }).catch(function () { /* the stream reconnects and asks again */ }).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }

  function retryHeld() { if (held) { refresh(); } }
  document.addEventListener("input", retryHeld);
  document.addEventListener("change", retryHeld);
  document.addEventListener("focusout", retryHeld);
  // A sent form leaves the page; nothing to keep then.
  document.addEventListener("submit", function () { held = false; });

  startTimers();
  window.setInterval(tick, 1000);

  // The replay page: the reflection's time follows the video (unless the person is typing it),
  // and a reflection's time jumps the video there instead of loading the page again.
  var video = document.getElementById("replay-video");
  var at = document.getElementById("reflection-at");
  if (video && at) {
    var clock = function (seconds) {
      seconds = Math.max(0, Math.floor(seconds));
      var h = Math.floor(seconds / 3600), m = Math.floor(seconds / 60) % 60, s = seconds % 60;
      return (h ? h + ":" + pad(m) : pad(m)) + ":" + pad(s);
    };
    video.addEventListener("timeupdate", function () {
      if (document.activeElement !== at) { at.value = clock(video.currentTime); }
    });
    var marks = document.querySelectorAll("a.at[data-seconds]");
    for (var k = 0; k < marks.length; k++) {
      marks[k].addEventListener("click", function (event) {
        event.preventDefault();
        video.currentTime = parseFloat(this.getAttribute("data-seconds"));
        at.value = clock(video.currentTime);
      });
    }
  }

  if (eventsUrl && window.EventSource) {
    var source = new EventSource(eventsUrl);
    source.addEventListener("changed", refresh);  // sent only when the page is older than the log
    source.addEventListener("gone", function () { source.close(); location.reload(); });
  }
})();
