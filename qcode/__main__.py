"""`python -m qcode` runs the command line."""

import sys

from qcode.cli import main

sys.exit(main())
