"""The project's `rasa` command: `python -m rasa_ext run …` (or `train`, `shell`, `test`…).

It is Rasa's own command line, started after `rasa_ext.patches.install()`, so
every Rasa process of this bot runs with the same checked patches and without
the known third-party warnings (clinic/known_warnings.py). The Makefile,
scripts/, the tests and the Rasa image all start Rasa this way.
"""

from __future__ import annotations

import sys

from clinic import environment, known_warnings


def main() -> None:
    # A clinic's assistant sends nothing anywhere by default: no usage telemetry, no
    # error reports to Rasa's Sentry (docs/security.md). Set it to "true" to opt in.
    environment.RASA_TELEMETRY_ENABLED.set_default("false")
    known_warnings.quiet()  # before the patches import Rasa, which warns as it loads
    from rasa_ext import patches

    try:
        patches.install()
    except patches.IncompatibleRasa as error:
        sys.exit(f"Not starting: {error}")
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
