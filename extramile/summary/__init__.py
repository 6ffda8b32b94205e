"""What the facilitator and the managers see afterwards: the journals read once into a frame without private
text, the figures under the disclosure rules, charts, the HTML report and the live summary notebook.
"""
