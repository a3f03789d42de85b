"""One `openssl s_server` per scenario and TLS version, on a fresh 127.0.0.1 port.

`-www` answers any GET with a small status page, which is how a loaded page is told from an error
page. `-status_file` staples a fixed DER response (s_server parses it and sends it again, so only
well-formed DER can be stapled); without it nothing is stapled.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from . import processes


class TLSServer:
    def __init__(self, directory: Path, tls: str, cert: Path, key: Path, chain: Path, staple: Path | None):
        self.port = processes.free_port()
        cmd = ["openssl", "s_server", "-accept", f"127.0.0.1:{self.port}", "-www", "-quiet"]
        cmd += ["-cert", str(cert), "-key", str(key), "-cert_chain", str(chain)]
        cmd += ["-tls1_3"] if tls == "1.3" else ["-tls1_2"]
        if staple is not None:
            cmd += ["-status_file", str(staple)]
        self.log = open(directory / f"s_server-{tls}.log", "wb")
        self.proc = processes.start(cmd, cwd=directory, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        processes.wait_for_port(self.port, self.proc, timeout=10)

    def stop(self) -> None:
        processes.stop(self.proc)
        self.log.close()
