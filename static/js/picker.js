// Pickers (templates/components/picker.html): the text box becomes a combobox (WAI-ARIA
// combobox with a listbox popup) over the picker endpoint, one page of matches at a time.
// Without this file the box takes a name typed in full and the server looks it up, so every
// form works without JavaScript too.
(function () {
  "use strict";

  var DELAY_MS = 200;

  function optionText(result) {
    return result.detail ? result.label + " — " + result.detail : result.label;
  }

  function Picker(root) {
    this.root = root;
    this.url = root.getAttribute("data-picker-url");
    this.noun = root.getAttribute("data-picker-noun") || "item";
    this.multiple = root.hasAttribute("data-picker-multiple");
    this.input = root.querySelector("[data-picker-input]");
    this.listbox = root.querySelector('[role="listbox"]');
    this.status = root.querySelector("[data-picker-status]");
    this.chips = root.querySelector("[data-picker-chips]");
    this.none = root.querySelector("[data-picker-none]");
    this.results = [];
    this.active = -1;
    this.page = 1;
    this.hasNext = false;
    this.timer = null;
    this.request = 0;
    this.setUp();
  }

  Picker.prototype.setUp = function () {
    var self = this;
    var input = this.input;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", this.listbox.id);
    this.root.querySelectorAll("[data-picker-nojs]").forEach(function (el) {
      el.hidden = true;
    });
    this.root.querySelectorAll("[data-picker-js]").forEach(function (el) {
      el.hidden = false;
    });
    if (this.multiple) {
      this.chips.querySelectorAll("[data-picker-chip]").forEach(function (chip) {
        var box = chip.querySelector("input");
        var label = chip.querySelector("label");
        self.makeChip(chip, box.value, label.textContent.trim());
      });
    } else {
      // The combobox sends the chosen id; text typed without choosing is sent as typed.
      this.hidden = document.createElement("input");
      this.hidden.type = "hidden";
      this.hidden.name = input.name;
      this.hidden.value = input.getAttribute("data-picker-chosen") || input.value;
      this.chosenLabel = input.getAttribute("data-picker-chosen") ? input.value : null;
      input.removeAttribute("name");
      this.root.appendChild(this.hidden);
    }
    input.addEventListener("input", function () {
      if (!self.multiple) {
        self.hidden.value = input.value;
      }
      self.schedule();
    });
    input.addEventListener("keydown", function (event) {
      self.onKey(event);
    });
    input.addEventListener("blur", function () {
      // Leave time for a click on an option to land first.
      window.setTimeout(function () {
        self.close();
      }, 150);
    });
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep the focus in the box
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest('[role="option"]');
      if (option) {
        self.choose(Number(option.getAttribute("data-index")));
      }
    });
  };

  Picker.prototype.makeChip = function (chip, id, label) {
    var self = this;
    chip.className = "picker-chip badge text-bg-light border d-inline-flex align-items-center gap-1";
    chip.setAttribute("data-picker-chip", id);
    chip.textContent = "";
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = this.root.getAttribute("data-picker-name");
    hidden.value = id;
    var text = document.createElement("span");
    text.textContent = label;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close picker-chip-remove";
    remove.setAttribute("aria-label", "Remove " + label);
    remove.addEventListener("click", function () {
      chip.remove();
      self.updateNone();
      self.announce(label + " removed.");
      self.input.focus();
    });
    chip.appendChild(hidden);
    chip.appendChild(text);
    chip.appendChild(remove);
  };

  Picker.prototype.updateNone = function () {
    if (this.none) {
      this.none.hidden = this.chips.children.length > 0;
    }
  };

  Picker.prototype.announce = function (text) {
    this.status.textContent = text;
  };

  Picker.prototype.schedule = function () {
    var self = this;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(function () {
      self.fetch(1);
    }, DELAY_MS);
  };

  Picker.prototype.fetch = function (page) {
    var self = this;
    var text = this.input.value.trim();
    var number = ++this.request;
    var url = new URL(this.url, window.location.href);
    url.searchParams.set("q", text);
    url.searchParams.set("page", String(page));
    window
      .fetch(url.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        if (number !== self.request) {
          return; // an answer to an older search
        }
        var keep = page > 1 ? self.results : [];
        self.page = data.page;
        self.hasNext = data.has_next;
        // A first page leaves the focus in the box (no option active until an arrow key);
        // a further page makes its first option active.
        self.show(keep.concat(data.results), data.count, page > 1 ? keep.length : -1);
      })
      .catch(function () {
        if (number === self.request) {
          self.close();
          self.announce("The search did not answer: type the name in full and save.");
        }
      });
  };

  Picker.prototype.show = function (results, count, activeIndex) {
    var self = this;
    this.results = results;
    this.listbox.textContent = "";
    results.forEach(function (result, index) {
      var option = document.createElement("li");
      option.id = self.listbox.id + "-" + index;
      option.className = "list-group-item list-group-item-action picker-option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(index));
      option.textContent = optionText(result);
      self.listbox.appendChild(option);
    });
    if (this.hasNext) {
      var more = document.createElement("li");
      more.className = "list-group-item text-body-secondary small picker-more";
      more.setAttribute("role", "option");
      more.setAttribute("aria-selected", "false");
      more.id = this.listbox.id + "-more";
      more.setAttribute("data-index", "-2");
      more.textContent = "Show more (" + (count - results.length) + " more)";
      this.listbox.appendChild(more);
    }
    var open = results.length > 0;
    this.listbox.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    this.setActive(open ? activeIndex : -1);
    if (!results.length) {
      this.announce("No " + this.noun + " matches. Check the spelling or type less.");
    } else if (activeIndex < 0) {
      var words = count === 1 ? "1 result" : count + " results";
      this.announce(words + ". Use the up and down arrow keys to choose, Enter to pick.");
    } else {
      this.announce(results.length + " of " + count + " results shown.");
    }
  };

  Picker.prototype.options = function () {
    return this.listbox.querySelectorAll('[role="option"]');
  };

  Picker.prototype.setActive = function (index) {
    var options = this.options();
    this.active = index;
    options.forEach(function (option, i) {
      var on = i === index;
      option.setAttribute("aria-selected", on ? "true" : "false");
      option.classList.toggle("active", on);
    });
    if (index >= 0 && options[index]) {
      this.input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      this.input.removeAttribute("aria-activedescendant");
    }
  };

  Picker.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  Picker.prototype.close = function () {
    this.listbox.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.setActive(-1);
  };

  Picker.prototype.onKey = function (event) {
    var count = this.options().length;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!this.isOpen()) {
        this.fetch(1);
        return;
      }
      this.setActive(Math.min(this.active + 1, count - 1));
    } else if (event.key === "ArrowUp") {
      if (this.isOpen()) {
        event.preventDefault();
        this.setActive(Math.max(this.active - 1, 0));
      }
    } else if (event.key === "Enter") {
      if (this.isOpen() && this.active >= 0) {
        event.preventDefault(); // choose, do not send the form
        this.choose(this.active);
      }
    } else if (event.key === "Escape") {
      if (this.isOpen()) {
        event.preventDefault();
        this.close();
      }
    }
  };

  Picker.prototype.choose = function (index) {
    if (index >= this.results.length || index === -2) {
      this.fetch(this.page + 1); // the "Show more" option
      return;
    }
    var result = this.results[index];
    if (!result) {
      return;
    }
    this.close();
    if (this.multiple) {
      var existing = this.chips.querySelector('[data-picker-chip="' + result.id + '"]');
      if (!existing) {
        var chip = document.createElement("li");
        this.makeChip(chip, String(result.id), result.label);
        this.chips.appendChild(chip);
        this.updateNone();
      }
      this.input.value = "";
      this.announce(result.label + (existing ? " was already chosen." : " added."));
    } else {
      this.input.value = result.label;
      this.hidden.value = String(result.id);
      this.announce(result.label + " chosen.");
    }
  };

  document.querySelectorAll("[data-picker]").forEach(function (root) {
    new Picker(root);
  });
})();
