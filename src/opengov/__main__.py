"""``python -m opengov``: the command line (the same as the ``opengov`` command)."""

from opengov._cli import main

main()
