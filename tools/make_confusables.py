"""Write extramile/identity/confusables.tsv from Unicode's confusables.txt (UTS #39).

    python tools/make_confusables.py path/to/confusables.txt > extramile/identity/confusables.tsv

The file comes from https://www.unicode.org/Public/security/latest/confusables.txt.
Names are NFKC-normalised and decomposed (NFD) before the table is used, so
only characters that survive that are kept, with their prototypes
normalised the same way: the table shrinks by half and means the same.
"""

import sys
import unicodedata


def fold(text: str) -> str:
    """As extramile.identity.confusables normalises a name before each look-up: NFKC, then NFD."""
    return unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))


def rows(lines):
    for line in lines:
        data = line.split("#", 1)[0].strip().lstrip("\ufeff")
        if not data:
            continue
        source, target = (field.strip() for field in data.split(";")[:2])
        char = chr(int(source, 16))
        if fold(char) != char:
            continue  # never seen: normalising turns it into something else first
        prototype = fold("".join(chr(int(code, 16)) for code in target.split()))
        if prototype != char:
            yield char, prototype


def main(path: str) -> None:
    with open(path, encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    version = next((line for line in lines[:12] if line.startswith("# Version")), "# Version: unknown")
    print("# Confusable characters for name skeletons, from Unicode confusables.txt (UTS #39)")
    print(f"{version}; made by tools/make_confusables.py. (c) Unicode, Inc.: see https://www.unicode.org/terms_of_use.html")
    print("# code point of a character <TAB> code points of its prototype, after NFKC and NFD")
    for char, prototype in sorted(rows(lines)):
        print(f"{ord(char):04X}\t{' '.join(f'{ord(c):04X}' for c in prototype)}")


if __name__ == "__main__":
    main(sys.argv[1])
