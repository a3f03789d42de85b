"""A throwaway Firefox profile: an NSS database that trusts the test root, and a user.js that keeps
the browser off the internet.

Revocation prefs are left alone on purpose (security.OCSP.*, security.ssl.enable_ocsp_*,
security.pki.crlite_mode, security.pki.cert_short_lifetime_in_days): every scenario runs with
Firefox's defaults, which the run reads back from the browser and prints.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

# Everything that would reach a host other than loopback, or slow a run down, is off. Grouped by
# what it stops; none of them is a revocation pref.
OFFLINE_PREFS: dict[str, object] = {
    # No proxy, no DNS over HTTPS, no IPv6 detour for "localhost", no prefetching or speculation.
    "network.proxy.type": 0,
    "network.trr.mode": 5,
    "network.dns.disableIPv6": True,
    "network.dns.disablePrefetch": True,
    "network.prefetch-next": False,
    "network.predictor.enabled": False,
    "network.http.speculative-parallel-limit": 0,
    "browser.urlbar.speculativeConnect.enabled": False,
    "browser.places.speculativeConnect.enabled": False,
    # Captive portal and connectivity checks.
    "network.captive-portal-service.enabled": False,
    "captivedetect.canonicalURL": "",
    "network.connectivity-service.enabled": False,
    "network.connectivity-service.IPv4.url": "",
    "network.connectivity-service.IPv6.url": "",
    # Telemetry, health report, pings.
    "toolkit.telemetry.enabled": False,
    "toolkit.telemetry.unified": False,
    "toolkit.telemetry.archive.enabled": False,
    "toolkit.telemetry.server": "",
    "datareporting.policy.dataSubmissionEnabled": False,
    "datareporting.healthreport.uploadEnabled": False,
    "browser.ping-centre.telemetry": False,
    "security.certerrors.recordEventTelemetry": False,
    "security.ssl.errorReporting.enabled": False,
    "security.certerrors.mitm.priming.enabled": False,
    # Updates of the application, add-ons, system add-ons, search engines and plugins.
    "app.update.disabledForTesting": True,
    "app.update.auto": False,
    "app.update.url": "",
    "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False,
    "extensions.systemAddon.update.url": "",
    "extensions.blocklist.enabled": False,
    "browser.search.update": False,
    "media.gmp-manager.url": "",
    "media.gmp-gmpopenh264.enabled": False,
    # Normandy, studies, discovery, remote settings (the CRLite filters travel this way too).
    "app.normandy.enabled": False,
    "app.normandy.api_url": "",
    "app.shield.optoutstudies.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "datareporting.usage.uploadEnabled": False,
    "browser.discovery.enabled": False,
    "services.settings.server": "http://127.0.0.1:1/v1",
    # Safe Browsing.
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.downloads.remote.enabled": False,
    "browser.safebrowsing.blockedURIs.enabled": False,
    "browser.safebrowsing.provider.google.updateURL": "",
    "browser.safebrowsing.provider.google4.updateURL": "",
    "browser.safebrowsing.provider.mozilla.updateURL": "",
    # Push, region, geolocation, accounts, new tab content.
    "dom.push.enabled": False,
    "dom.push.connection.enabled": False,
    "dom.push.serverURL": "",
    "browser.region.network.url": "",
    "browser.region.update.enabled": False,
    "geo.provider.network.url": "",
    "identity.fxaccounts.enabled": False,
    "browser.newtabpage.enabled": False,
    "browser.newtabpage.activity-stream.feeds.topsites": False,
    "browser.newtabpage.activity-stream.feeds.section.topstories": False,
    "browser.topsites.contile.enabled": False,
    "extensions.pocket.enabled": False,
    "signon.management.page.breach-alerts.enabled": False,
    # A quiet start: no first-run pages, no default-browser question, no session restore.
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.page": 0,
    "browser.startup.homepage": "about:blank",
    "browser.startup.homepage_override.mstone": "ignore",
    "startup.homepage_welcome_url": "",
    "startup.homepage_welcome_url.additional": "",
    "browser.aboutwelcome.enabled": False,
    "browser.sessionstore.resume_from_crash": False,
    "toolkit.startup.max_resumed_crashes": -1,
    "browser.backup.scheduled.enabled": False,
}


def user_js(marionette_port: int) -> str:
    """The text of user.js: the offline prefs and the Marionette port."""
    prefs = dict(OFFLINE_PREFS)
    prefs["marionette.port"] = marionette_port
    return "".join(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n" for name, value in prefs.items())


def make_profile(directory: Path, roots: list[Path], marionette_port: int) -> Path:
    """Create the profile in `directory`: an empty-password NSS DB trusting each root (a PEM file
    of one certificate) for TLS servers, and user.js."""
    directory.mkdir(parents=True, exist_ok=True)
    db = f"sql:{directory}"
    subprocess.run(["certutil", "-N", "--empty-password", "-d", db], check=True, capture_output=True)
    for number, root in enumerate(roots):
        nickname = f"testroot{number}"
        cmd = ["certutil", "-A", "-d", db, "-n", nickname, "-t", "C,,", "-i", str(root)]
        subprocess.run(cmd, check=True, capture_output=True)
    (directory / "user.js").write_text(user_js(marionette_port))
    return directory
