"""`python -m eloqua_conformance`: the same as the `eloqua-conformance` command."""

from eloqua_conformance.cli import main

raise SystemExit(main())
