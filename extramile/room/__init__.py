"""The live room on the day: the app's routes, the tabs of each browser and their session cookie, the
facilitator's pace and moderation (room_state), the console and the projector, and the figures they show.
"""
