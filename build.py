#!/usr/bin/env python3
"""Build the site: python build.py --help."""

import sys

from policysite.cli import main

if __name__ == "__main__":
    sys.exit(main())
