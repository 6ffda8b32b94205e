"""The weekly journal that teams come back to: the story, habits and check-in cards (cards/), commitments
coming due, one's own trends, the team wall, and the export of one's journal.
"""
