// Mention autocomplete for Markdown textareas (data-mentions="true") inside a
// .markdown-editor whose data-mention-url answers ?q=<prefix> with
// {"members": [{"id", "name", "markup"}]}. Choosing a name replaces "@prefix"
// with the markup, e.g. @[山田 花子](member:123). No build step, no dependencies.
(function () {
  "use strict";
  var MENTION = /(^|\s)@([^\s@\[\]()]{1,40})$/;

  function setup(textarea) {
    var editor = textarea.closest(".markdown-editor");
    var url = editor && editor.dataset.mentionUrl;
    if (!url || textarea.dataset.mentionsReady) return;
    textarea.dataset.mentionsReady = "1";
    var list = document.createElement("ul");
    list.className = "mention-menu";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    textarea.insertAdjacentElement("afterend", list);
    var timer = null;
    var active = 0;
    var controller = null;

    function close() { list.hidden = true; list.innerHTML = ""; }

    function currentQuery() {
      var before = textarea.value.slice(0, textarea.selectionStart);
      var match = MENTION.exec(before);
      return match ? match[2] : null;
    }

    function choose(item) {
      var end = textarea.selectionStart;
      var before = textarea.value.slice(0, end);
      var start = before.lastIndexOf("@");
      var markup = item.dataset.markup + " ";
      textarea.value = textarea.value.slice(0, start) + markup + textarea.value.slice(end);
      var caret = start + markup.length;
      textarea.setSelectionRange(caret, caret);
      textarea.focus();
      close();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
    }

    function show(members) {
      list.innerHTML = "";
      if (!members.length) { close(); return; }
      members.forEach(function (member) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.textContent = member.name;  // textContent: a name is never parsed as HTML
        li.dataset.markup = member.markup;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(li); });
        list.appendChild(li);
      });
      list.hidden = false;
      highlight(0);
    }

    function lookup() {
      var query = currentQuery();
      if (!query) { close(); return; }
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(url + "?q=" + encodeURIComponent(query), {
        headers: { "Accept": "application/json" }, credentials: "same-origin", signal: controller.signal
      }).then(function (response) { return response.ok ? response.json() : { members: [] }; })
        .then(function (data) { show(data.members || []); })
        .catch(function () {});
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookup, 200);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Enter" || event.key === "Tab") {
        var item = list.querySelectorAll("li")[active];
        if (item) { event.preventDefault(); choose(item); }
      } else if (event.key === "Escape") { close(); }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function init(root) {
    (root || document).querySelectorAll('textarea[data-mentions="true"]').forEach(setup);
  }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
