"""``python -m mapping``: the command line."""

from mapping.cli import main

if __name__ == "__main__":  # not when a second process imports the main module
    raise SystemExit(main())
