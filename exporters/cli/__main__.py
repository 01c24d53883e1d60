"""``python -m exporters.cli``: the same as the ``newsgraph`` command."""

import sys

from exporters.cli import main

sys.exit(main())
