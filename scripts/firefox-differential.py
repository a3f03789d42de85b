#!/usr/bin/env python3
"""`make firefox`: real Firefox ESR, headless, against `staple check --policy firefox`.

Both judges connect to the same loopback TLS servers (`openssl s_server`, TLS 1.3 and 1.2) with the
same staples and the same OCSP responder; any difference in verdict or error name that is not an
expected difference fails the run. docs/TESTING.md ("Firefox ESR as the judge") explains the table.

    python3 -m pip install -r scripts/firefox-requirements.txt
    scripts/firefox-differential.py --staple .build/debug/staple [--only ID-PART] [--keep]
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from firefoxdiff.run import main  # noqa: E402

if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except KeyboardInterrupt:
        print("firefox: interrupted; every process it started is stopped", file=sys.stderr)
        sys.exit(130)
