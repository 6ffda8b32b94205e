"""Pages and widget snippets read as a browser shows them: tests then do not depend on how text was escaped."""

from html.parser import HTMLParser


class Shown(HTMLParser):
    """What a browser shows of a page: its text, the elements it creates, its bold words, paragraphs and rows."""

    def __init__(self, page: str):
        super().__init__()
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.bold: list[str] = []
        self.paragraphs: list[str] = []
        self.rows: list[list[str]] = []
        self._open: list[str] = []
        self.feed(page)
        self.text = " ".join(" ".join(self.texts).split())

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in ("img", "meta", "br"):
            self._open.append(tag)
        if tag == "p":
            self.paragraphs.append("")
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag):]

    def handle_data(self, data):
        if "style" in self._open or "title" in self._open:
            return
        self.texts.append(data)
        if "b" in self._open:
            self.bold.append(data)
        if "p" in self._open:
            self.paragraphs[-1] += data
        if {"td", "th"} & set(self._open):
            self.rows[-1][-1] += data
