"""``python -m newsgraph.exporters.cli``: the same as the ``newsgraph`` command."""

import sys

from newsgraph.exporters.cli import main

sys.exit(main())
