"""``python3 -m zerobuffer``."""

import sys

from .cli import main

sys.exit(main())
