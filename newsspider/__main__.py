"""`python -m newsspider`: the same as the `newsspider` command."""

import sys

from newsspider.cli import main

sys.exit(main())
