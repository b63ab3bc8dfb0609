// Keystead: a "Show" button beside each new-password field (`data-reveal`), so that people can
// check what they typed. Without JavaScript the field stays a plain password field.
"use strict";

(function () {
  document.querySelectorAll("input[type=password][data-reveal]").forEach(function (input) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button-secondary reveal-password";
    button.textContent = input.dataset.reveal;
    button.setAttribute("aria-controls", input.id);
    button.addEventListener("click", function () {
      const shown = input.type === "text";
      input.type = shown ? "password" : "text";
      button.textContent = shown ? input.dataset.reveal : input.dataset.conceal;
      input.focus();
    });
    input.insertAdjacentElement("afterend", button);
    // Hidden again when the form is sent, so that the browser offers to save it as a password.
    if (input.form) {
      input.form.addEventListener("submit", function () {
        input.type = "password";
      });
    }
  });
})();
