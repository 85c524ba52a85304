"""`python -m attnproof` is the `attnproof` command."""

import sys

from attnproof.cli import main

sys.exit(main())
