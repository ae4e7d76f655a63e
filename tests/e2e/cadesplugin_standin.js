/* A stand-in for CryptoPro's cadesplugin_api.js and the ЭЦП Browser plug-in, for the browser test
 * only (tests/e2e/test_signing_journey.py serves it at CADESPLUGIN_API_URL through Playwright's
 * route; it is never part of the site). The real plug-in is not available in CI.
 *
 * It implements the API surface static/js/cades-sign.js uses, asynchronously as the real one does
 * (every property a Promise, setters as propset_*): window.cadesplugin as a Promise with
 * CreateObjectAsync("CAdESCOM.Store" | "CAdESCOM.CPSigner" | "CAdESCOM.CadesSignedData") and the
 * constants. The store holds the certificates the test put in window.__standinCertificates; the
 * ГОСТ math of SignCades is delegated to the test's Python (window.vprplanTestSign, exposed by
 * Playwright), which signs with the test key. Each call is reported to the test (window.vprplanStandinCall).
 */
(function () {
  "use strict";
  function call(name) {  // told to the test, which keeps them across the pages
    if (window.vprplanStandinCall) { window.vprplanStandinCall(name); }
  }
  function later(value) { return Promise.resolve(value); }

  function certificate(about) {
    return {
      get SubjectName() { call("Certificate.SubjectName"); return later(about.subject); },
      get SerialNumber() { call("Certificate.SerialNumber"); return later(about.serial); },
      get ValidFromDate() { call("Certificate.ValidFromDate"); return later(about.from); },
      get ValidToDate() { call("Certificate.ValidToDate"); return later(about.to); },
      get Thumbprint() { call("Certificate.Thumbprint"); return later(about.thumbprint); },
      Export: function (encoding) {
        call("Certificate.Export");
        if (encoding !== 0) { return Promise.reject(new Error("CADESCOM_ENCODE_BASE64 expected")); }
        return later(about.base64);
      },
      __about: about
    };
  }

  function store() {
    var opened = false;
    var items = (window.__standinCertificates || []).map(certificate);
    return {
      Open: function (location, name, mode) {
        call("Store.Open");
        opened = location === 2 && name === "My" && mode === 2;
        return opened ? later(undefined) : Promise.reject(new Error("unexpected store"));
      },
      get Certificates() {
        call("Store.Certificates");
        if (!opened) { return Promise.reject(new Error("store not open")); }
        return later({
          get Count() { call("Certificates.Count"); return later(items.length); },
          Item: function (i) { call("Certificates.Item"); return later(items[i - 1]); }
        });
      },
      Close: function () { call("Store.Close"); return later(undefined); }
    };
  }

  function cpSigner() {
    var chosen = null;
    return {
      propset_Certificate: function (value) { call("CPSigner.propset_Certificate"); chosen = value; return later(undefined); },
      propset_CheckCertificate: function () { call("CPSigner.propset_CheckCertificate"); return later(undefined); },
      get __certificate() { return chosen; }
    };
  }

  function signedData() {
    var encoding = null;
    var content = null;
    return {
      propset_ContentEncoding: function (value) { call("CadesSignedData.propset_ContentEncoding"); encoding = value; return later(undefined); },
      propset_Content: function (value) { call("CadesSignedData.propset_Content"); content = value; return later(undefined); },
      SignCades: function (signer, type, detached) {
        call("CadesSignedData.SignCades");
        if (encoding !== 1 || type !== 1 || detached !== true || !signer.__certificate) {
          return Promise.reject(new Error("SignCades: expected CADESCOM_BASE64_TO_BINARY, CADESCOM_CADES_BES, detached"));
        }
        return window.vprplanTestSign(content, signer.__certificate.__about.thumbprint);
      }
    };
  }

  var factories = { "CAdESCOM.Store": store, "CAdESCOM.CPSigner": cpSigner, "CAdESCOM.CadesSignedData": signedData };
  var plugin = Promise.resolve();
  plugin.CreateObjectAsync = function (name) {
    call("CreateObjectAsync " + name);
    return factories[name] ? later(factories[name]()) : Promise.reject(new Error("unknown object " + name));
  };
  plugin.CAPICOM_CURRENT_USER_STORE = 2;
  plugin.CAPICOM_MY_STORE = "My";
  plugin.CAPICOM_STORE_OPEN_MAXIMUM_ALLOWED = 2;
  plugin.CADESCOM_ENCODE_BASE64 = 0;
  plugin.CADESCOM_BASE64_TO_BINARY = 1;
  plugin.CADESCOM_CADES_BES = 1;
  window.cadesplugin = plugin;
}());
