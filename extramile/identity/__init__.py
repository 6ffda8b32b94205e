"""Who is at the keyboard: names that look alike are one name, teams however typed, passphrases and their
throttle, and the session ids the server makes at sign-in.

Kept apart from the pages so the rules that keep a journal private are read (and tested) in one place.
"""
