"""The generator of the swift-must-staple test-vector corpus (run it with ../generate.py).

Importing the package first imports `clock`, which replaces `datetime.datetime` so that
cryptography's OCSPResponseBuilder stamps producedAt with a chosen time instead of the wall
clock. That has to happen before cryptography is imported, hence here.

Modules, in the order the corpus is built:

    clock         T0, the default validity period, time helpers, the producedAt substitute
    der           a minimal DER encoder and reader, object identifiers
    output        the output folder, staples/index.json, a scratch folder, the openssl CLI
    pki           keys and certificates of one key type (pki/<kt>/)
    ocsp          OCSP responses: cryptography's builder and the hand-crafted encoder
    staples       every staple file (staples/common/, staples/<kt>/)
    expectations  Firefox's error names and the expected results that recur
    manifest      the case list and manifest.json
    cases/        one module per manifest category
    corpus        main(): deletes and rebuilds pki/, staples/, manifest.json
"""

from . import clock  # noqa: F401  (must run before cryptography is imported)
