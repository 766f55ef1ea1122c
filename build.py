#!/usr/bin/env python3
"""Build the site: python build.py --help (the same as the installed `policysite` command)."""

from policysite.cli import run_command

if __name__ == "__main__":
    run_command()
