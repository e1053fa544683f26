"""``python -m ftlint``."""

import sys

from ftlint.cli.main import main

sys.exit(main())
