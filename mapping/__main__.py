"""``python -m mapping``: the command line."""

from mapping.cli import main

raise SystemExit(main())
