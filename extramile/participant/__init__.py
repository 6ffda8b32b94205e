"""What every participant page is made of: the sign-in bar, the answers as the cards see them, and the
lesson cards (cards/). extramile.page puts a page of the day together from these.
"""
