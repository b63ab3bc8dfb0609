// Keystead passkeys: hands the server's WebAuthn options to navigator.credentials and posts the
// answer back in the page's own form. Also the "Copy" button of the recovery codes page.
// No other behaviour; every page works (or says why it cannot) without it.
"use strict";

(function () {
  function toBytes(b64url) {
    let s = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    const bin = atob(s);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64url(buffer) {
    const bytes = new Uint8Array(buffer);
    let bin = "";
    for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(options) {
    const pk = options.publicKey;
    pk.challenge = toBytes(pk.challenge);
    pk.user.id = toBytes(pk.user.id);
    (pk.excludeCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: pk };
  }

  function requestOptions(options) {
    const pk = options.publicKey;
    pk.challenge = toBytes(pk.challenge);
    (pk.allowCredentials || []).forEach(function (c) { c.id = toBytes(c.id); });
    return { publicKey: pk };
  }

  function created(c) {
    return {
      id: c.id,
      rawId: toB64url(c.rawId),
      type: c.type,
      response: {
        attestationObject: toB64url(c.response.attestationObject),
        clientDataJSON: toB64url(c.response.clientDataJSON),
      },
      extensions: c.getClientExtensionResults(),
    };
  }

  function asserted(c) {
    return {
      id: c.id,
      rawId: toB64url(c.rawId),
      type: c.type,
      response: {
        authenticatorData: toB64url(c.response.authenticatorData),
        clientDataJSON: toB64url(c.response.clientDataJSON),
        signature: toB64url(c.response.signature),
        userHandle: c.response.userHandle ? toB64url(c.response.userHandle) : null,
      },
      extensions: c.getClientExtensionResults(),
    };
  }

  function showError(text) {
    const box = document.getElementById("passkey-error");
    if (box) {
      box.textContent = text;
      box.hidden = false;
    }
  }

  // The page's own words (in its language) when it gives them, else English.
  function text(form, name, english) {
    return form.dataset[name] || english;
  }

  async function ceremony(form) {
    if (!window.PublicKeyCredential || !navigator.credentials) {
      showError(text(form, "msgUnsupported", "This browser cannot use passkeys. Go back and choose another way."));
      return;
    }
    const options = JSON.parse(form.dataset.options);
    try {
      let answer;
      if (form.dataset.mode === "create") {
        answer = created(await navigator.credentials.create(creationOptions(options)));
      } else {
        answer = asserted(await navigator.credentials.get(requestOptions(options)));
      }
      form.elements.credential.value = JSON.stringify(answer);
      form.submit();
    } catch (e) {
      showError(e && e.name === "NotAllowedError"
        ? text(form, "msgCancelled", "The passkey request was cancelled or timed out. Press the button to try again.")
        : text(form, "msgFailed", "The passkey could not be used. Press the button to try again.")
          + " (" + (e && e.name ? e.name : "error") + ")");
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("passkey-form");
    if (form) {
      const button = document.getElementById("passkey-start");
      // The challenge stays valid until the answer is posted (or it expires), so a cancelled
      // request can simply be tried again.
      const start = function () { ceremony(form); };
      button.addEventListener("click", start);
      if (form.dataset.mode === "get") start();
    }
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        const source = document.getElementById(button.dataset.copy);
        navigator.clipboard.writeText(source.innerText).then(function () { button.textContent = button.dataset.copied || "Copied"; });
      });
    });
  });
})();
