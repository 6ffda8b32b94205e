"""The weekly journal's cards: the week picker, the story, habits and check-in, a commitment's review and
the next one. Each is a participant card (extramile.participant.cards.card.Card) bound to a week.
"""
