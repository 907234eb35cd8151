"""``python -m mapapp`` starts the dashboard, like ``itinera app``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main(["app", *sys.argv[1:]]))
