"""Entry point of `python -m eloqua_conformance.mock`."""

from .cli import main

raise SystemExit(main())
