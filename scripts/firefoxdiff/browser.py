"""Firefox ESR, headless, driven over Marionette: start it, read its version and revocation prefs,
forget its OCSP and TLS state between scenarios, and tell what a navigation ended in.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from marionette_driver import errors
from marionette_driver.marionette import Marionette

from . import processes

# What the run prints about the browser it judged with (all defaults: nothing here is set).
REVOCATION_PREFS = (
    "security.OCSP.enabled",
    "security.OCSP.require",
    "security.ssl.enable_ocsp_stapling",
    "security.ssl.enable_ocsp_must_staple",
    "security.pki.crlite_mode",
    "security.OCSP.timeoutMilliseconds.soft",
    "security.OCSP.timeoutMilliseconds.hard",
    "security.pki.cert_short_lifetime_in_days",
)

READ_PREFS = """
const out = {version: Services.appinfo.version, prefs: {}};
for (const name of arguments[0]) {
  const type = Services.prefs.getPrefType(name);
  let value = null;
  if (type == Services.prefs.PREF_INT) value = Services.prefs.getIntPref(name);
  else if (type == Services.prefs.PREF_BOOL) value = Services.prefs.getBoolPref(name);
  else if (type == Services.prefs.PREF_STRING) value = Services.prefs.getStringPref(name);
  out.prefs[name] = {value, userSet: Services.prefs.prefHasUserValue(name)};
}
return out;
"""

# The OCSP cache and the TLS session caches, as Firefox's own tests clear them between cases.
FORGET_STATE = """
Cc["@mozilla.org/security/x509certdb;1"].getService(Ci.nsIX509CertDB).clearOCSPCache();
Cc["@mozilla.org/psm;1"].getService(Ci.nsINSSComponent).clearSSLExternalAndInternalSessionCache();
Services.obs.notifyObservers(null, "net:prune-all-connections");
"""

# On the error page itself: about:certerror has getFailedCertSecurityInfo(), about:neterror has
# getNetErrorInfo(); both return errorCodeString. Either may be missing or throw, hence the URL.
READ_ERROR_PAGE = """
const out = {uri: document.documentURI, code: null, via: null};
for (const [fn, via] of [["getFailedCertSecurityInfo", "getFailedCertSecurityInfo"],
                         ["getNetErrorInfo", "getNetErrorInfo"]]) {
  if (out.code || typeof document[fn] != "function") continue;
  try {
    const info = document[fn]();
    if (info && info.errorCodeString) { out.code = info.errorCodeString; out.via = via; }
  } catch (e) { out[via + "Error"] = String(e); }
}
return out;
"""


@dataclass
class Outcome:
    """What one navigation ended in: loaded, or the error code string and where it was read."""

    loaded: bool
    error: str | None
    page: str
    via: str | None


class Browser:
    """One Firefox process with a Marionette session, reused across scenarios."""

    def __init__(self, binary: str, profile: Path, marionette_port: int, log: Path):
        self.binary = shutil.which(binary) or binary
        self.profile = profile
        self.port = marionette_port
        self.log_path = log
        self.proc: subprocess.Popen | None = None
        self.client: Marionette | None = None

    def start(self, timeout: float = 60.0) -> None:
        self._log = open(self.log_path, "wb")
        cmd = [self.binary, "--headless", "--marionette", "--profile", str(self.profile), "--no-remote"]
        # Chrome-context scripts (Services.prefs, clearing the OCSP cache) need system access.
        cmd.append("-remote-allow-system-access")
        env = {"MOZ_HEADLESS": "1", "MOZ_CRASHREPORTER_DISABLE": "1"}
        self.proc = processes.start(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=_environment(env))
        processes.wait_for_port(self.port, self.proc, timeout)
        self.client = Marionette(host="127.0.0.1", port=self.port, startup_timeout=int(timeout))
        self.client.start_session()
        self.client.timeout.page_load = 30

    def stop(self) -> None:
        if self.client is not None:
            try:
                self.client.delete_session()
            except Exception:
                pass
            self.client = None
        if self.proc is not None:
            processes.stop(self.proc, grace=5.0)
            self.proc = None
            self._log.close()

    def info(self) -> dict:
        """Firefox's version and the revocation prefs, read from the running browser."""
        with self.client.using_context(self.client.CONTEXT_CHROME):
            return self.client.execute_script(READ_PREFS, script_args=[list(REVOCATION_PREFS)])

    def forget_state(self) -> None:
        """Clear the OCSP cache and the TLS session caches, and close idle connections."""
        with self.client.using_context(self.client.CONTEXT_CHROME):
            self.client.execute_script(FORGET_STATE)

    def visit(self, url: str) -> Outcome:
        """Navigate to url and tell whether the page loaded or which error Firefox showed."""
        try:
            self.client.navigate(url)
        except (errors.UnknownException, errors.InsecureCertificateException, errors.TimeoutException):
            pass  # an error page: read it below
        page = _read(self.client, READ_ERROR_PAGE)
        uri = page["uri"] or ""
        if not uri.startswith("about:"):
            return Outcome(True, None, uri, None)
        code, via = page["code"], page["via"]
        if code is None:
            code, via = _code_from_url(uri), "url"
        return Outcome(False, code, uri, via)

    def blank(self) -> None:
        """Leave the page, so that no connection to the last server stays in use."""
        self.client.navigate("about:blank")


def _read(client: Marionette, script: str) -> dict:
    for _ in range(20):
        try:
            return client.execute_script(script, sandbox=None)
        except errors.JavascriptException:
            time.sleep(0.1)  # the error page is still being set up
    return client.execute_script(script, sandbox=None)


def _code_from_url(uri: str) -> str | None:
    """The error code from an error page's URL: about:neterror?e=nssFailure2&...&d=... names it in d."""
    query = parse_qs(urlsplit(uri).query)
    description = (query.get("d") or [""])[0]
    for word in description.replace("(", " ").replace(")", " ").replace(".", " ").split():
        if word.startswith(("SEC_ERROR_", "SSL_ERROR_", "MOZILLA_PKIX_ERROR_")):
            return word
    return (query.get("e") or [None])[0]


def _environment(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "USER")}
    env.update(extra)
    return env
