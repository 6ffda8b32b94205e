"""The one process that serves the room: Solara set up for a workshop (serve), its HTTP front door
(origins, floods, privacy headers), and memory handed back to the machine.
"""
