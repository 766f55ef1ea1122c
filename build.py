#!/usr/bin/env python3
"""Build the site: python build.py --help."""

import os
import sys

from policysite.cli import main

if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and every worker has stopped; skip freeing the interpreter's
    # objects one by one (pypinyin's dictionaries alone take a tenth of a second to free).
    os._exit(code)
