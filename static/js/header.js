// The site header: on a phone the navigation folds behind the menu button; the header's
// drop-down menus (<details class="header-menu">) close on a click elsewhere or on Escape.
// The menu button shows only once the page's has-js class is set (base.html), so without
// scripts the navigation simply stays open.
(function () {
  "use strict";

  function menus() {
    return document.querySelectorAll("details.header-menu[open]");
  }

  function closeMenus(except) {
    menus().forEach(function (menu) {
      if (menu !== except && !menu.contains(except)) menu.open = false;
    });
  }

  function setup() {
    var toggle = document.querySelector(".nav-toggle");
    var nav = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") !== "true";
        toggle.setAttribute("aria-expanded", String(open));
        nav.classList.toggle("is-open", open);
      });
    }

    document.addEventListener("click", function (event) {
      var inside = event.target.closest && event.target.closest("details.header-menu");
      closeMenus(inside);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      menus().forEach(function (menu) {
        menu.open = false;
        menu.querySelector("summary").focus();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
