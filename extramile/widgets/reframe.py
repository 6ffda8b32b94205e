"""Something went wrong: the two questions that turn it round, asked in order."""

from extramile.widgets.card import Card, checked_text, paragraph, text_area

OPPORTUNITY = "What is the real opportunity here?"
HELP = "How can I help?"


class ReframeCard(Card):
    shareable = True

    def __init__(self, exercise, book, lesson):
        self.opportunity = text_area(rows=3)
        self.help = text_area(rows=3)
        super().__init__(exercise, book, lesson, [
            paragraph(exercise.situation, "em-situation"), paragraph(exercise.prompt),
            paragraph(OPPORTUNITY, "em-label"), self.opportunity,
            paragraph(HELP, "em-label"), self.help,
        ])

    def read(self):
        return {"opportunity": checked_text(self.opportunity.value, "the real opportunity"),
                "help": checked_text(self.help.value, "how you can help")}

    def fill(self, answer):
        self.opportunity.value = answer.get("opportunity", "")
        self.help.value = answer.get("help", "")

    def clear(self):
        self.opportunity.value = ""
        self.help.value = ""
