"""``python -m opengov``: the command line (the same as the ``opengov`` command).

Without the ``cli`` extra (click) this says so in one line and exits with status 2.
"""

from __future__ import annotations

import sys

from opengov._errors import MissingExtraError

__all__ = ["main"]


def main() -> None:
    """Run the command line, or say in one line that it needs the ``cli`` extra."""
    try:
        from opengov._cli import main as commands
    except MissingExtraError as exc:
        sys.stderr.write(f"Error: {exc}\n")
        raise SystemExit(2) from None
    commands()


if __name__ == "__main__":
    main()
