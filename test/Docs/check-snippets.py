"""Checks that every C++ snippet of a markdown file is quoted from a source
file that the tests compile.

Each ```cpp block must start with a line `// <path>` naming a file of the
repository; the rest of the block must appear in that file as consecutive
lines. Prints each mismatch and exits 1 if there is any.
"""
import pathlib
import re
import sys


def main(markdown, root):
    text = pathlib.Path(markdown).read_text()
    blocks = re.findall(r"```cpp\n(.*?)```", text, re.S)
    failures = 0
    for block in blocks:
        lines = block.rstrip("\n").split("\n")
        match = re.fullmatch(r"// (\S+)", lines[0])
        if not match:
            print(f"snippet without a '// <file>' first line:\n{block}")
            failures += 1
            continue
        source = pathlib.Path(root, match.group(1)).read_text()
        body = "\n".join(lines[1:])
        if body not in source:
            print(f"snippet not found in {match.group(1)}:\n{body}")
            failures += 1
    print(f"{len(blocks)} snippets checked, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
