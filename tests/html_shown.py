"""What a browser makes of some HTML: the elements it creates and the text it shows.

Tests of escaping ask this rather than look for one library's entity
spelling (`&#x27;` or `&#39;` are the same apostrophe on screen).
"""

from html.parser import HTMLParser


class Shown(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[dict[str, str | None]] = []
        self._text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    @property
    def text(self) -> str:
        return "".join(self._text)


def shown(markup: str) -> Shown:
    return Shown(markup)
