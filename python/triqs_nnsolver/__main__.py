"""``python -m triqs_nnsolver`` runs the command line, like ``triqs-nnsolver``."""

import sys

from .cli import main

sys.exit(main())
