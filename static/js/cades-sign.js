/* The head's qualified signature in the browser, through the CryptoPro ЭЦП Browser plug-in.
 *
 * The plug-in's page API (cadesplugin_api.js) is CryptoPro's and is not part of this repository: the
 * site serves it at CADESPLUGIN_API_URL (README, «Подпись приказа»). Neither it nor the plug-in is
 * available in CI: the browser test (tests/e2e/test_signing_journey.py) serves a stand-in with the
 * same API surface, which signs with a test ГОСТ key.
 *
 * The calls this adapter makes (the plug-in's documented asynchronous API), and nothing else:
 *   cadesplugin (a Promise: resolves when the plug-in is loaded, rejects when it is not)
 *   cadesplugin.CreateObjectAsync("CAdESCOM.Store")
 *     store.Open(CAPICOM_CURRENT_USER_STORE, CAPICOM_MY_STORE, CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED),
 *     store.Certificates, store.Close()
 *   certificates.Count, certificates.Item(i)            (1-based)
 *   certificate.SubjectName, .SerialNumber, .ValidFromDate, .ValidToDate, .Thumbprint,
 *     certificate.Export(CADESCOM_ENCODE_BASE64)
 *   cadesplugin.CreateObjectAsync("CAdESCOM.CPSigner")
 *     signer.propset_Certificate(certificate), signer.propset_CheckCertificate(true)
 *   cadesplugin.CreateObjectAsync("CAdESCOM.CadesSignedData")
 *     data.propset_ContentEncoding(CADESCOM_BASE64_TO_BINARY), data.propset_Content(base64),
 *     data.SignCades(signer, CADESCOM_CADES_BES, true)   (true: a detached signature)
 *
 * Two places use it:
 *  - the order's page (form[data-cades-choose]): the head picks a certificate of his store; its
 *    Base64 goes to the server, which prints its number, owner and validity into the PDF;
 *  - the document's status page ([data-cades-sign]): the PDF as rendered is fetched, signed with
 *    the certificate of that serial number, and the detached signature is posted back
 *    (form[data-cades-result]); the server verifies it before the order counts as signed.
 */
(function () {
  "use strict";

  var C = {  // the plug-in's constants (cadesplugin_api.js defines the same on window.cadesplugin)
    CAPICOM_CURRENT_USER_STORE: 2,
    CAPICOM_MY_STORE: "My",
    CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED: 2,
    CADESCOM_ENCODE_BASE64: 0,
    CADESCOM_BASE64_TO_BINARY: 1,
    CADESCOM_CADES_BES: 1
  };

  function constant(name) {
    var plugin = window.cadesplugin;
    return plugin && plugin[name] !== undefined ? plugin[name] : C[name];
  }

  function say(box, text, isError) {
    var line = box.querySelector("[data-cades-message]");
    if (line) {
      line.textContent = text;
      line.classList.toggle("error", !!isError);
    }
  }

  var NO_PLUGIN = "КриптоПро ЭЦП Browser plug-in не найден: установите его и КриптоПро CSP, " +
    "подключите носитель ключа и обновите страницу. Можно подписать приказ в КриптоАРМ или на бумаге.";

  /* The plug-in once loaded. `cadesplugin` is itself a Promise (a thenable): it is never returned
     from a then() callback, which would wait on it again and give undefined. */
  async function plugin() {
    var cades = window.cadesplugin;
    if (!cades || typeof cades.then !== "function") { throw new Error(NO_PLUGIN); }
    try {
      await cades;
    } catch (error) {
      throw new Error(NO_PLUGIN);
    }
    return { api: cades };
  }

  function cleanSerial(serial) {
    return String(serial || "").replace(/\s+/g, "").replace(/^0+/, "").toUpperCase();
  }

  function commonName(subject) {
    var found = /(?:^|,\s*)CN=("?)([^,"]+)\1/.exec(subject || "");
    var surname = /(?:^|,\s*)SN=([^,]+)/.exec(subject || "");
    var given = /(?:^|,\s*)G=([^,]+)/.exec(subject || "");
    if (surname && given) { return surname[1] + " " + given[1]; }
    return found ? found[2] : subject;
  }

  function day(value) {
    var date = new Date(value);
    if (isNaN(date.getTime())) { return String(value); }
    return ("0" + date.getDate()).slice(-2) + "." + ("0" + (date.getMonth() + 1)).slice(-2) + "." + date.getFullYear();
  }

  async function eachCertificate(cades, visit) {
    var store = await cades.CreateObjectAsync("CAdESCOM.Store");
    await store.Open(constant("CAPICOM_CURRENT_USER_STORE"), constant("CAPICOM_MY_STORE"),
      constant("CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED"));
    try {
      var all = await store.Certificates;
      var count = await all.Count;
      for (var i = 1; i <= count; i++) {
        var certificate = await all.Item(i);
        var stop = await visit(certificate);
        if (stop) { return certificate; }
      }
      return null;
    } finally {
      await store.Close();
    }
  }

  async function describe(certificate) {
    return {
      subject: await certificate.SubjectName,
      serial: await certificate.SerialNumber,
      from: await certificate.ValidFromDate,
      to: await certificate.ValidToDate,
      thumbprint: await certificate.Thumbprint
    };
  }

  /* The order's page: list the store's certificates into the select, put the chosen one's Base64
     into the form before it is sent. */
  async function fillChooser(form) {
    var select = form.querySelector("select[data-cades-certificates]");
    var button = form.querySelector("button[type=submit]");
    try {
      var cades = (await plugin()).api;
      var now = new Date();
      var found = [];
      await eachCertificate(cades, async function (certificate) {
        var about = await describe(certificate);
        if (new Date(about.to) >= now) { found.push(about); }
        return false;
      });
      select.textContent = "";
      found.forEach(function (about) {
        var option = document.createElement("option");
        option.value = about.thumbprint;
        option.textContent = commonName(about.subject) + " — № " + about.serial + ", действителен по " + day(about.to);
        select.appendChild(option);
      });
      if (!found.length) {
        say(form, "В хранилище «Личное» нет действующих сертификатов. Подключите носитель ключа и обновите страницу.", true);
        return;
      }
      select.disabled = false;
      // Without trusted roots on the server the signature could not be checked (the page says so).
      button.disabled = button.hasAttribute("data-roots-missing");
      say(form, "Выберите сертификат: его номер, владелец и срок действия будут впечатаны в приказ.", false);
    } catch (error) {
      say(form, error.message || NO_PLUGIN, true);
    }
  }

  async function submitChosen(form) {
    var select = form.querySelector("select[data-cades-certificates]");
    var cades = (await plugin()).api;
    var chosen = await eachCertificate(cades, async function (certificate) {
      return (await certificate.Thumbprint) === select.value;
    });
    if (!chosen) { throw new Error("Выбранный сертификат не найден в хранилище."); }
    form.querySelector("input[name=certificate]").value = await chosen.Export(constant("CADESCOM_ENCODE_BASE64"));
    form.dataset.cadesReady = "1";
    form.submit();  // no second submit event: the certificate is in, the form goes as it is
  }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var chunks = [];
    for (var i = 0; i < bytes.length; i += 0x8000) {
      chunks.push(String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000)));
    }
    return window.btoa(chunks.join(""));
  }

  /* The status page: sign the PDF as rendered with the certificate of the mark. */
  async function signDocument(box) {
    var button = box.querySelector("button[data-cades-sign]");
    button.disabled = true;
    say(box, "Подписание… Подтвердите доступ к ключу в окне КриптоПро.", false);
    try {
      var cades = (await plugin()).api;
      var serial = cleanSerial(box.dataset.serial);
      var certificate = await eachCertificate(cades, async function (candidate) {
        return cleanSerial(await candidate.SerialNumber) === serial;
      });
      if (!certificate) {
        throw new Error("Сертификат № " + box.dataset.serial + " не найден в хранилище: подключите носитель ключа.");
      }
      var response = await fetch(box.dataset.pdfUrl, { credentials: "same-origin" });
      if (!response.ok) { throw new Error("Не удалось получить PDF приказа."); }
      var content = base64(await response.arrayBuffer());
      var signer = await cades.CreateObjectAsync("CAdESCOM.CPSigner");
      await signer.propset_Certificate(certificate);
      await signer.propset_CheckCertificate(true);
      var data = await cades.CreateObjectAsync("CAdESCOM.CadesSignedData");
      await data.propset_ContentEncoding(constant("CADESCOM_BASE64_TO_BINARY"));
      await data.propset_Content(content);
      var signature = await data.SignCades(signer, constant("CADESCOM_CADES_BES"), true);
      var form = box.querySelector("form[data-cades-result]");
      form.querySelector("input[name=signature]").value = signature;
      say(box, "Подпись создана, проверяется на сервере…", false);
      form.submit();
    } catch (error) {
      button.disabled = false;
      say(box, (error && error.message) || NO_PLUGIN, true);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-cades-choose]") || form.dataset.cadesReady) { return; }
    event.preventDefault();
    submitChosen(form).catch(function (error) { say(form, error.message, true); });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button[data-cades-sign]");
    if (button) {
      event.preventDefault();
      signDocument(button.closest("[data-cades-box]"));
    }
  });

  function start() {
    document.querySelectorAll("form[data-cades-choose]").forEach(fillChooser);
    document.querySelectorAll("[data-cades-box]").forEach(function (box) {
      say(box, box.dataset.ready || "", false);
    });
  }

  // The status page's fragment is swapped in by HTMX once the PDF is ready: say what to do there too.
  document.addEventListener("htmx:afterSwap", function () {
    document.querySelectorAll("[data-cades-box]").forEach(function (box) {
      say(box, box.dataset.ready || "", false);
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
