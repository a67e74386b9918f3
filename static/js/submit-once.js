/* Forms: a form is sent once. On submit its buttons are disabled and the clicked one reads
   "Sending…"; the clicked button's name and value still go with the form. The server refuses
   a second sending of the same form in any case (its one-time token); this spares the wait. */
(function () {
  "use strict";

  // The catalogue (jsi18n) gives the reader's language; without it, English.
  var SENDING = window.gettext ? gettext("Sending\u2026") : "Sending\u2026";

  function keepSubmitterValue(form, submitter) {
    // A disabled button is left out of the form's data, so a named one is copied first.
    if (!submitter || !submitter.name) {
      return;
    }
    var copy = document.createElement("input");
    copy.type = "hidden";
    copy.name = submitter.name;
    copy.value = submitter.value;
    copy.setAttribute("data-submit-once-copy", "");
    form.appendChild(copy);
  }

  function disableButtons(form, submitter) {
    var buttons = form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.disabled = true;
      button.setAttribute("data-submit-once-disabled", "");
    });
    if (submitter && submitter.tagName === "BUTTON") {
      submitter.setAttribute("data-submit-once-label", submitter.textContent);
      submitter.textContent = SENDING;
    } else if (submitter) {
      submitter.setAttribute("data-submit-once-label", submitter.value);
      submitter.value = SENDING;
    }
    form.setAttribute("aria-busy", "true");
  }

  function onSubmit(event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
      return;
    }
    if ((form.getAttribute("method") || "get").toLowerCase() !== "post") {
      return;
    }
    if (form.hasAttribute("data-submit-once-sent")) {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-submit-once-sent", "");
    keepSubmitterValue(form, event.submitter);
    disableButtons(form, event.submitter);
  }

  function restore() {
    // Back to a page kept by the browser: its forms must work again.
    Array.prototype.forEach.call(document.querySelectorAll("[data-submit-once-copy]"), function (copy) {
      copy.remove();
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-submit-once-label]"), function (button) {
      var label = button.getAttribute("data-submit-once-label");
      if (button.tagName === "BUTTON") {
        button.textContent = label;
      } else {
        button.value = label;
      }
      button.removeAttribute("data-submit-once-label");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-submit-once-disabled]"), function (button) {
      button.disabled = false;
      button.removeAttribute("data-submit-once-disabled");
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-submit-once-sent]"), function (form) {
      form.removeAttribute("data-submit-once-sent");
      form.removeAttribute("aria-busy");
    });
  }

  // Listens last, on the document, so a handler that cancels the submit is seen first.
  document.addEventListener("submit", onSubmit);
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      restore();
    }
  });
})();
