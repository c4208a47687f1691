#!/usr/bin/env python3
"""Checks that documentation quotes files verbatim.

A fenced code block right after a line `<!-- file: relative/path -->` must
equal that file (path relative to the Markdown file). Keeps tutorials true
to the code that the tests build and run.
"""
import re
import sys
from pathlib import Path

MARKER = re.compile(r"<!-- file: (\S+) -->\s*\n```[^\n]*\n(.*?)```", re.S)


def main(paths):
    errors = checked = 0
    for doc in map(Path, paths):
        for match in MARKER.finditer(doc.read_text()):
            target = doc.parent / match.group(1)
            checked += 1
            if not target.is_file():
                print(f"{doc}: quoted file {target} does not exist")
                errors += 1
            elif target.read_text() != match.group(2):
                print(f"{doc}: snippet of {match.group(1)} differs from the file")
                errors += 1
    if checked == 0:
        print("no quoted files found")
        return 1
    print(f"{checked} snippets checked, {errors} differ")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
