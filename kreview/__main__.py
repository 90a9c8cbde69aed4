"""`python -m kreview` is the `kreview` command."""
import sys

from kreview.cli import main

sys.exit(main())
