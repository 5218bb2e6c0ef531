/* Suggestions while typing, for every search box with data-suggest-url (the site's own endpoint, /search/suggest/).
 *
 * The box becomes an ARIA 1.2 combobox with a listbox of up to eight suggestions: Down and Up move through them
 * (aria-activedescendant), Enter opens the one chosen, Escape closes the list. Without JavaScript, or when the
 * endpoint fails, the box is a plain search form. No third-party code; served from the site (CSP script-src 'self').
 */
(function () {
  "use strict";

  var KINDS = {
    medicine: "Medicine guide",
    brand: "Brand",
    ingredient: "Active ingredient",
    "class": "Drug class",
    condition: "Condition",
    tag: "Topic"
  };
  var DELAY_MS = 150;
  var counter = 0;

  function enhance(input) {
    var url = input.getAttribute("data-suggest-url");
    var id = "search-suggest-" + (++counter);
    var list = document.createElement("ul");
    var status = document.createElement("div");
    var items = [];
    var active = -1;
    var timer = null;
    var controller = null;
    var lastTyped = "";

    list.id = id;
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggestions");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    input.parentNode.classList.add("suggest-host");
    input.parentNode.appendChild(list);
    input.parentNode.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      var option = list.children[index];
      if (!option) return;
      active = index;
      for (var i = 0; i < list.children.length; i++) {
        list.children[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function go(index) {
      if (items[index]) window.location.assign(items[index].url);
    }

    function show(suggestions) {
      items = suggestions;
      list.textContent = "";
      suggestions.forEach(function (suggestion, index) {
        var option = document.createElement("li");
        var label = document.createElement("span");
        var kind = document.createElement("span");
        option.id = id + "-" + index;
        option.className = "suggest-list__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        label.className = "suggest-list__label";
        label.textContent = suggestion.label;
        kind.className = "suggest-list__kind";
        kind.textContent = (KINDS[suggestion.kind] || suggestion.kind) + (suggestion.detail ? " · " + suggestion.detail : "");
        option.appendChild(label);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
        // mousedown, not click: the box would lose focus (and the list close) before a click lands.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          go(index);
        });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (suggestions.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = suggestions.length + (suggestions.length === 1 ? " suggestion" : " suggestions") +
          ": use the up and down keys to choose.";
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var typed = input.value.trim();
      if (typed === lastTyped) return;
      lastTyped = typed;
      if (!typed || typed.length > 100) {
        show([]);
        return;
      }
      if (controller) controller.abort();
      controller = typeof AbortController === "function" ? new AbortController() : null;
      fetch(url + "?q=" + encodeURIComponent(typed), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined
      })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (data) {
          if (input.value.trim() === typed) show(data.suggestions || []);
        })
        .catch(function () {
          /* aborted by newer typing, or offline: the form still searches */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      var open = !list.hidden && items.length > 0;
      if (event.key === "ArrowDown") {
        if (!open) {
          lastTyped = "";
          fetchSuggestions();
          return;
        }
        event.preventDefault();
        choose(active + 1 < items.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        choose(active > 0 ? active - 1 : items.length - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        go(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });

    input.addEventListener("blur", close);
  }

  function start() {
    var inputs = document.querySelectorAll("input[data-suggest-url]");
    for (var i = 0; i < inputs.length; i++) enhance(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
