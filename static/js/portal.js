/* Partner Center page behaviour, from data attributes: the Content-Security-Policy allows
   no inline script or inline style, so every page's small behaviours live here.
   data-confirm="question"     on a form: ask before submitting
   data-autosubmit             on a select: submit its form on change
   data-navigate               on a select: go to the chosen option's data-url
   data-select-on-click        on an input: select its text on click
   data-select-all="name"      on a checkbox: tick or untick every checkbox named "name"
   data-copy                   on a button in an input group: copy the input's value
                               (data-copied: the button's label for a moment after)
   data-width="42"             set the element's width to 42% (progress bars)
   data-unread-url             the notification badge: fetch the unread count every minute
                               (copied to every [data-unread-mirror], the folded menu's button) */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);

  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches("select[data-autosubmit]")) el.form.submit();
    if (el.matches("input[data-select-all]")) {
      document.querySelectorAll('input[type="checkbox"][name="' + el.dataset.selectAll + '"]')
        .forEach(function (box) { box.checked = el.checked; });
    }
    if (el.matches("select[data-navigate]")) {
      var url = el.options[el.selectedIndex].dataset.url;
      if (url) window.location = url;
    }
  });

  document.addEventListener("click", function (event) {
    var el = event.target;
    if (el.matches && el.matches("input[data-select-on-click]")) el.select();
    var copy = el.closest && el.closest("button[data-copy]");
    if (copy) {
      var input = copy.closest(".input-group").querySelector("input");
      var done = function () {
        var label = copy.textContent;
        copy.textContent = copy.dataset.copied || label;
        window.setTimeout(function () { copy.textContent = label; }, 1500);
      };
      input.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    }
  });

  function applyWidths(root) {
    root.querySelectorAll("[data-width]").forEach(function (el) {
      var value = parseFloat(el.dataset.width);
      if (!isNaN(value)) el.style.width = Math.max(0, Math.min(100, value)) + "%";
    });
  }

  function unreadBadge() {
    var badge = document.querySelector("[data-unread-url]");
    if (!badge) return;
    function refresh() {
      fetch(badge.dataset.unreadUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) return;
          if (badge.lastChild && badge.lastChild.nodeType === 3) badge.removeChild(badge.lastChild);
          badge.appendChild(document.createTextNode(data.unread > 99 ? "99+" : String(data.unread)));
          badge.classList.toggle("d-none", data.unread === 0);
          badge.dataset.count = data.unread;
          // On a phone the menu (and the bell in it) is folded: the menu button shows the count too.
          document.querySelectorAll("[data-unread-mirror]").forEach(function (mirror) {
            mirror.textContent = data.unread > 99 ? "99+" : String(data.unread);
            mirror.classList.toggle("d-none", data.unread === 0);
          });
        })
        .catch(function () {});
    }
    refresh();
    setInterval(refresh, 60000);
  }

  // A table or chart wider than the screen scrolls sideways: keyboard users reach it with Tab
  // and scroll it with the arrow keys (WCAG 2.1.1; axe "scrollable-region-focusable").
  function focusableScrollers() {
    document.querySelectorAll(".table-responsive, .pc-chart-wrap, .overflow-auto").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        if (!el.hasAttribute("tabindex")) el.setAttribute("tabindex", "0");
      } else if (el.getAttribute("tabindex") === "0") {
        el.removeAttribute("tabindex");
      }
    });
  }

  function ready() {
    applyWidths(document);
    unreadBadge();
    focusableScrollers();
    window.addEventListener("resize", focusableScrollers);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  // Parts swapped in by htmx (export and import progress) get their widths too.
  document.addEventListener("htmx:afterSwap", function (event) { applyWidths(event.target); });
})();

/* Several files at once into ordered slots (enterprise certification):
   form[data-batch-upload]     the form; its input[data-batch-files] takes several files
   [data-dropzone]             files dropped here go into that input
   template[data-slot-options] a select of the slots (option[data-empty] = still empty);
                               one copy per chosen file, preset by order (first file -> first
                               empty slot, ...), listed in [data-batch-list] */
(function () {
  "use strict";
  function listFiles(form) {
    var input = form.querySelector("input[data-batch-files]");
    var list = form.querySelector("[data-batch-list]");
    var template = form.querySelector("template[data-slot-options]");
    if (!input || !list || !template) return;
    list.replaceChildren();
    var empty = [];
    template.content.querySelectorAll("option[data-empty]").forEach(function (o) { empty.push(o.value); });
    Array.prototype.forEach.call(input.files, function (file, i) {
      var item = document.createElement("li");
      item.className = "pc-batch-item";
      var label = document.createElement("label");
      label.className = "small text-break";
      label.htmlFor = "batch-slot-" + i;
      label.textContent = file.name;
      var select = template.content.querySelector("select").cloneNode(true);
      select.id = "batch-slot-" + i;
      if (i < empty.length) select.value = empty[i];
      else {
        var none = document.createElement("option");
        none.value = "";
        none.textContent = "—";
        select.prepend(none);
        select.value = "";
      }
      item.append(label, select);
      list.append(item);
    });
  }
  document.addEventListener("change", function (event) {
    var form = event.target.closest && event.target.closest("form[data-batch-upload]");
    if (form && event.target.matches("input[data-batch-files]")) listFiles(form);
  });
  document.querySelectorAll("[data-dropzone]").forEach(function (zone) {
    zone.addEventListener("dragover", function (event) {
      event.preventDefault();
      zone.classList.add("pc-dropzone-over");
    });
    zone.addEventListener("dragleave", function () { zone.classList.remove("pc-dropzone-over"); });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      zone.classList.remove("pc-dropzone-over");
      var input = zone.querySelector("input[data-batch-files]");
      if (!input || !event.dataTransfer || !event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      input.dispatchEvent(new Event("change", {bubbles: true}));
    });
  });
})();
