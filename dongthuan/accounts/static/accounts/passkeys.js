// Passkeys (WebAuthn) in the browser: adding one (form[data-passkey="add"]) and signing in with one
// (form[data-passkey="sign-in"]). Each asks the server for the ceremony's options (JSON), lets the browser make or
// use the passkey (navigator.credentials.create / get), and posts the answer back as JSON, binary fields in
// base64url, with the CSRF token in X-CSRFToken. The server answers {"redirect": url} or, refused, {"error": text}.
// Kept out of the HTML: the Content-Security-Policy allows no inline script. The messages come translated from the
// form's data-msg-* attributes.
(function () {
  "use strict";

  function toBuffer(text) {
    var base64 = String(text).replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) {
      base64 += "=";
    }
    var binary = window.atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return window.btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBinaryIds(list) {
    return (list || []).map(function (item) {
      return Object.assign({}, item, { id: toBuffer(item.id) });
    });
  }

  function creationOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBuffer(options.challenge);
    publicKey.user = Object.assign({}, options.user, { id: toBuffer(options.user.id) });
    publicKey.excludeCredentials = withBinaryIds(options.excludeCredentials);
    return publicKey;
  }

  function requestOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBuffer(options.challenge);
    publicKey.allowCredentials = withBinaryIds(options.allowCredentials);
    return publicKey;
  }

  function answer(credential) {
    var response = credential.response;
    var json = {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
      response: { clientDataJSON: toBase64url(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      json.response.attestationObject = toBase64url(response.attestationObject);
      json.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      json.response.authenticatorData = toBase64url(response.authenticatorData);
      json.response.signature = toBase64url(response.signature);
      json.response.userHandle = response.userHandle ? toBase64url(response.userHandle) : null;
    }
    return json;
  }

  // A refusal the server explained: its text is shown as it is.
  function Refusal(message) {
    this.message = message;
  }

  function post(form, url, body) {
    var token = form.querySelector("input[name=csrfmiddlewaretoken]");
    return window.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": token ? token.value : ""
      },
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().catch(function () {
        return {};
      }).then(function (data) {
        if (!response.ok) {
          throw new Refusal(data.error || form.getAttribute("data-msg-failed"));
        }
        return data;
      });
    });
  }

  function explain(form, error) {
    if (error instanceof Refusal) {
      return error.message;
    }
    var name = error && error.name;
    if (name === "NotAllowedError" || name === "AbortError") {
      return form.getAttribute("data-msg-cancelled");
    }
    if (name === "InvalidStateError") {
      return form.getAttribute("data-msg-exists");
    }
    if (name === "SecurityError") {
      return form.getAttribute("data-msg-host");
    }
    return form.getAttribute("data-msg-failed");
  }

  function show(form, message) {
    var box = form.querySelector("[data-passkey-error]");
    box.textContent = message || "";
    box.hidden = !message;
  }

  // The relying party's id must be the page's host or a name it ends with (never an IP address).
  function hostFits(rpId) {
    var host = window.location.hostname;
    return host === rpId || host.slice(-(rpId.length + 1)) === "." + rpId;
  }

  function ceremony(form) {
    var kind = form.getAttribute("data-passkey");
    if (kind === "add") {
      var nameInput = form.querySelector("input[name=name]");
      if (!nameInput.value.trim()) {
        // Asked before the device makes a passkey the server would then refuse (and the device would keep).
        nameInput.focus();
        return Promise.reject(new Refusal(form.getAttribute("data-msg-name")));
      }
      return post(form, form.getAttribute("data-options-url"), {}).then(function (options) {
        return navigator.credentials.create({ publicKey: creationOptions(options) });
      }).then(function (credential) {
        return post(form, form.action, {
          name: nameInput.value,
          credential: answer(credential),
          next: form.getAttribute("data-next") || ""
        });
      });
    }
    return post(form, form.getAttribute("data-options-url"), {}).then(function (options) {
      return navigator.credentials.get({ publicKey: requestOptions(options) });
    }).then(function (credential) {
      return post(form, form.action, { credential: answer(credential), next: form.getAttribute("data-next") || "" });
    });
  }

  function setUp(form) {
    var button = form.querySelector("[data-passkey-button]");
    if (!window.PublicKeyCredential || !navigator.credentials) {
      show(form, form.getAttribute("data-msg-unsupported"));
      return;
    }
    if (!hostFits(form.getAttribute("data-rp-id") || "")) {
      show(form, form.getAttribute("data-msg-host"));
      return;
    }
    button.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (button.disabled) {
        return;
      }
      button.disabled = true;
      show(form, "");
      ceremony(form).then(function (result) {
        window.location.assign(result.redirect);
      }).catch(function (error) {
        show(form, explain(form, error));
        button.disabled = false;
      });
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-passkey]");
    for (var i = 0; i < forms.length; i++) {
      setUp(forms[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
